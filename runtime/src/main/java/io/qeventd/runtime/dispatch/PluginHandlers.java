package io.qeventd.runtime.dispatch;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.qeventd.api.Handler;
import io.qeventd.api.PluginSettings;
import java.util.List;

/**
 * What one loaded plugin version contributes to the event table.
 *
 * @param pluginId  the plugin's id
 * @param version   its version
 * @param handlers  its handlers, as its extensions listed them
 * @param mapper    the plugin's own ObjectMapper: decodes its payloads and replies, dropped with it
 * @param settings  its configuration section
 */
public record PluginHandlers(String pluginId, String version, List<Handler<?>> handlers, ObjectMapper mapper,
                             PluginSettings settings) {
    public PluginHandlers {
        handlers = List.copyOf(handlers);
    }
}
