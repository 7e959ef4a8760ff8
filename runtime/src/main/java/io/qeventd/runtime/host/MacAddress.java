package io.qeventd.runtime.host;

import io.qeventd.api.HostNetworkException;
import java.util.Locale;
import java.util.regex.Pattern;

/** Checks and normalises link-layer addresses the way {@link io.qeventd.api.LinkState} holds them. */
final class MacAddress {
    private static final Pattern MAC = Pattern.compile("[0-9a-f]{2}(:[0-9a-f]{2}){5}");

    private MacAddress() {
    }

    /** Returns {@code mac} lower case, or throws naming the device it was meant for. */
    static String normalise(String mac, DeviceKey key) {
        String lower = mac == null ? "" : mac.trim().toLowerCase(Locale.ROOT);
        if (!MAC.matcher(lower).matches()) {
            throw new HostNetworkException("not a MAC address (want xx:xx:xx:xx:xx:xx) for " + key + ": '" + mac + "'");
        }
        return lower;
    }
}
