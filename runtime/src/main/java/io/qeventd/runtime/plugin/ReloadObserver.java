package io.qeventd.runtime.plugin;

/** Called on the plugin-manager thread just before each step of a reload; lets tests stage races. */
@FunctionalInterface
interface ReloadObserver {
    ReloadObserver NONE = (id, step) -> { };

    void before(String pluginId, ReloadStep step);
}
