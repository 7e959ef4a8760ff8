package io.qeventd.runtime.admin;

import io.qeventd.runtime.plugin.PluginLifecycle;
import java.util.Objects;

/**
 * One plugin as {@code qeventd status} shows it.
 *
 * @param id      plugin id (the file name when its descriptor could not be read)
 * @param version plugin version, or null when unknown
 * @param state   where it stands; JSON and the table show its lowercase word ({@code started}, {@code failed}…)
 * @param handled events its processors ran for (processed or failed), resync runs not counted
 * @param failed  of those, how many ended with an exception
 * @param reloads how often it was reloaded
 * @param error   why it failed, or null
 */
public record PluginSummary(String id, String version, PluginLifecycle state, long handled, long failed, int reloads,
                            String error) {
    public PluginSummary {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(state, "state");
    }
}
