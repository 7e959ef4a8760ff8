package io.qeventd.plugins.migration;

import io.qeventd.api.PluginSettings;
import java.util.Map;
import java.util.Set;

/**
 * {@code pluginSettings.migration}.
 *
 * @param enableEvents turn on QEMU's {@code events} migration capability after every connect, without which
 *                     QEMU sends neither MIGRATION nor MIGRATION_PASS (as libvirt does before it migrates)
 * @param queryOnPass  ask {@code query-migrate} on every pass for the remaining bytes and the dirty rate
 */
public record MigrationSettings(boolean enableEvents, boolean queryOnPass) {
    static final String PREFIX = "pluginSettings.migration.";
    private static final Set<String> KEYS = Set.of("enableEvents", "queryOnPass");

    public static MigrationSettings from(PluginSettings settings) {
        Map<String, Object> map = settings.asMap();
        for (String key : map.keySet()) {
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException(PREFIX + key + ": unknown key (expected enableEvents, queryOnPass)");
            }
        }
        return new MigrationSettings(flag(map, "enableEvents"), flag(map, "queryOnPass"));
    }

    private static boolean flag(Map<String, Object> map, String key) {
        Object v = map.getOrDefault(key, true);
        if (!(v instanceof Boolean b)) {
            throw new IllegalArgumentException(PREFIX + key + ": '" + v + "' is not true or false");
        }
        return b;
    }
}
