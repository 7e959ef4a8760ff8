package io.qeventd.runtime.admin;

import java.util.Objects;

/**
 * One plugin as {@code qeventd status} shows it.
 *
 * @param id      plugin id (the file name when its descriptor could not be read)
 * @param version plugin version, or null when unknown
 * @param state   {@code started} or {@code failed}
 * @param handled events its processors ran for (processed or failed), resync runs not counted
 * @param failed  of those, how many ended with an exception
 * @param reloads how often it was reloaded
 * @param error   why it failed, or null
 */
public record PluginSummary(String id, String version, String state, long handled, long failed, int reloads,
                            String error) {
    public PluginSummary {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(state, "state");
    }
}
