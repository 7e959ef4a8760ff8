package io.qeventd.runtime.plugin;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.qeventd.api.PluginSettings;
import java.util.Map;

/** A plugin's configuration section, bound with the plugin's own mapper. */
public record MapPluginSettings(Map<String, Object> asMap, ObjectMapper mapper) implements PluginSettings {
    public MapPluginSettings {
        asMap = asMap == null ? Map.of() : Map.copyOf(asMap);
    }

    @Override
    public <T> T as(Class<T> type) {
        try {
            return mapper.convertValue(asMap, type);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("plugin settings do not fit " + type.getSimpleName() + ": "
                    + e.getMessage(), e);
        }
    }
}
