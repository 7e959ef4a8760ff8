package io.qeventd.runtime.metrics;

import io.qeventd.runtime.dispatch.HandlerRegistry;
import io.qeventd.runtime.dispatch.PluginHandlers;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

/**
 * The {@code plugin} label of an outcome: bounded by the plugins whose handlers are registered. A plugin that
 * leaves the table (unloaded, or failed for good) has its series removed; an outcome of it that reaches the
 * journal later (an event that was still queued) counts under {@value #OTHER}. Outcomes of no plugin
 * (unhandled events, the journal's own summaries) carry an empty label.
 */
final class PluginLabels {
    static final String OTHER = "other";
    static final String NONE = "";

    private final HandlerRegistry registry;
    private final Set<String> registered = ConcurrentHashMap.newKeySet();
    private final Queue<String> gone = new ConcurrentLinkedQueue<>();

    PluginLabels(HandlerRegistry registry) {
        this.registry = registry;
        registry.onRegister(registered::add);
        registry.onUnregister(id -> {
            registered.remove(id);
            gone.add(id);
        });
        for (PluginHandlers p : registry.plugins()) {
            registered.add(p.pluginId());
        }
    }

    /** Journal dispatch thread. */
    String of(String pluginId) {
        if (pluginId == null) {
            return NONE;
        }
        if (registered.contains(pluginId)) {
            return pluginId;
        }
        // A plugin registers before its listener runs: ask the registry itself (rare: first records only).
        if (registry.plugin(pluginId).isPresent()) {
            registered.add(pluginId);
            return pluginId;
        }
        return OTHER;
    }

    /**
     * Hands each plugin that left the table since the last call, and was not registered again, to {@code remove};
     * on the journal dispatch thread, so that no record counted on that thread brings a removed series back.
     */
    void forgetGone(Consumer<String> remove) {
        if (gone.isEmpty()) {
            return;
        }
        for (String id = gone.poll(); id != null; id = gone.poll()) {
            if (!registered.contains(id)) {
                remove.accept(id);
            }
        }
    }
}
