package io.qeventd.runtime.state;

import io.qeventd.api.state.StateKey;

/**
 * One published value or service.
 *
 * @param pluginId the plugin that published it
 * @param owner    the class loader of the plugin version that published it: withdrawn with that version
 * @param key      its key
 * @param value    the value
 */
record StateEntry(String pluginId, ClassLoader owner, StateKey<?> key, Object value) {
}
