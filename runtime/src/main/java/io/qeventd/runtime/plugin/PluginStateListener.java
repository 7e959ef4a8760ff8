package io.qeventd.runtime.plugin;

/** Told of every change of a plugin's {@link PluginLifecycle}, on the plugin-manager thread. */
@FunctionalInterface
public interface PluginStateListener {
    /**
     * @param status the plugin as it is now
     * @param before its state before the change, or null when the daemon had not seen its file yet
     */
    void changed(PluginStatus status, PluginLifecycle before);
}
