package io.qeventd.runtime.plugin;

import java.nio.file.Path;
import java.util.List;

/**
 * One plugin as the daemon sees it.
 *
 * @param id      plugin id, or the file name when the descriptor could not be read
 * @param version plugin version, or null
 * @param state   where it stands
 * @param source  the jar, zip or directory it came from
 * @param events  the QMP event names its handlers take ({@code *} for every event)
 * @param reloads how often it was reloaded; a failed reload does not reset it
 * @param error   why it failed, or why its last reload was rejected or aborted; null otherwise
 */
public record PluginStatus(String id, String version, PluginLifecycle state, Path source, List<String> events,
                           int reloads, String error) {
    public PluginStatus {
        events = List.copyOf(events);
    }
}
