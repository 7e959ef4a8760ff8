package io.qeventd.plugins.guestsignals;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.qeventd.api.PluginSettings;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code pluginSettings.guest-signals}:
 * <pre>
 * rtcStateDir: /var/lib/qeventd/rtc     # where DOMAIN.rtc-offset files go; none written when absent
 * domains:
 *   vm1: {rtcBaseOffset: 3600}          # the offset (s) vm1's QEMU was started with (-rtc base=now+3600)
 * </pre>
 */
public record GuestSignalSettings(@JsonProperty("rtcStateDir") Path rtcStateDir,
                                  @JsonProperty("domains") Map<String, Domain> domains) {

    /** One domain's settings. */
    public record Domain(@JsonProperty("rtcBaseOffset") long rtcBaseOffset) {
    }

    public GuestSignalSettings {
        domains = domains == null ? Map.of() : Map.copyOf(domains);
        if (rtcStateDir != null && !rtcStateDir.isAbsolute()) {
            throw new IllegalArgumentException("pluginSettings.guest-signals.rtcStateDir: '" + rtcStateDir
                    + "' is not an absolute path");
        }
    }

    static GuestSignalSettings from(PluginSettings settings) {
        try {
            return settings.as(GuestSignalSettings.class);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("pluginSettings.guest-signals: " + e.getMessage(), e);
        }
    }

    long rtcBaseOffset(String domain) {
        Domain d = domains.get(domain);
        return d == null ? 0 : d.rtcBaseOffset();
    }
}
