package io.qeventd.api;

import java.util.Map;

/** A plugin's own configuration section ({@code pluginSettings.<plugin-id>}), free-form. */
public interface PluginSettings {
    /** The section as maps, lists and scalars; empty when the configuration has none. */
    Map<String, Object> asMap();

    /** The section bound to {@code type} (a record or bean), as Jackson binds it. */
    <T> T as(Class<T> type);
}
