package io.qeventd.plugins.devices;

import io.qeventd.api.PluginSettings;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code pluginSettings.devices}.
 *
 * @param removalTimeout how long {@link DeviceRemoval#delete(io.qeventd.api.ProcessContext, String)} waits
 *                       ({@code removalTimeout: 30s}; ms, s or m)
 */
public record DevicesSettings(Duration removalTimeout) {
    static final String PREFIX = "pluginSettings.devices.";
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m)");

    public static DevicesSettings from(PluginSettings settings) {
        Map<String, Object> map = settings.asMap();
        for (String key : map.keySet()) {
            if (!key.equals("removalTimeout")) {
                throw new IllegalArgumentException(PREFIX + key + ": unknown key (expected removalTimeout)");
            }
        }
        Object t = map.get("removalTimeout");
        return new DevicesSettings(t == null ? Duration.ofSeconds(30) : duration(String.valueOf(t)));
    }

    private static Duration duration(String s) {
        Matcher m = DURATION.matcher(s.strip());
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            throw new IllegalArgumentException(PREFIX + "removalTimeout: '" + s
                    + "' is not a positive duration such as 500ms, 30s or 2m");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            default -> Duration.ofMinutes(n);
        };
    }
}
