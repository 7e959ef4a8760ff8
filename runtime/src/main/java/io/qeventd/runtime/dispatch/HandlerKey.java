package io.qeventd.runtime.dispatch;

/**
 * Names a handler across versions of its plugin: a queued event is bound to this key, not to one
 * loaded class, so a plugin reloaded while the event waits is processed by the new version.
 */
public record HandlerKey(String pluginId, String event, String type) {
    @Override
    public String toString() {
        return pluginId + ":" + event + "/" + type;
    }
}
