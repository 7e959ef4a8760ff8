package io.qeventd.testkit;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.qeventd.api.PluginSettings;
import io.qeventd.runtime.config.ConfigException;
import io.qeventd.runtime.config.ConfigLoader;
import io.qeventd.runtime.config.QeventdConfig;
import io.qeventd.runtime.plugin.MapPluginSettings;
import java.nio.file.Path;
import java.util.Map;

/** A plugin's settings as the daemon hands them to it, for tests that create an extension themselves. */
public final class TestSettings {
    private TestSettings() {
    }

    /** {@code pluginSettings.<id>} given as a map, bound by {@link PluginSettings#as} as in the daemon. */
    public static PluginSettings of(Map<String, Object> settings) {
        return new MapPluginSettings(Map.copyOf(settings), new ObjectMapper());
    }

    /**
     * {@code pluginSettings.<pluginId>} of a daemon configuration file, read and checked as the daemon reads it;
     * a configuration the daemon would refuse throws with the daemon's message.
     */
    public static PluginSettings fromConfig(Path configFile, String pluginId) throws ConfigException {
        QeventdConfig config = ConfigLoader.load(configFile);
        return of(config.pluginSettings(pluginId));
    }
}
