package io.qeventd.runtime.dispatch;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The live set of plugins' handlers and the event table built from them. Registration changes swap
 * the table atomically; readers only ever see a whole table.
 *
 * <p>A plugin can also be held: its queued events stay queued, in order, until it is released (the
 * reload protocol uses this to swap a plugin's version with nothing lost and nothing run twice).
 */
public final class HandlerRegistry {
    private final Map<String, PluginHandlers> plugins = new LinkedHashMap<>();
    private volatile EventTable table = EventTable.empty();
    private final Map<String, PluginGate> gates = new ConcurrentHashMap<>();
    private final List<Consumer<String>> releaseListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<String>> registerListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<String>> unregisterListeners = new CopyOnWriteArrayList<>();

    /** The current table; lock-free. */
    public EventTable table() {
        return table;
    }

    /** Adds or replaces a plugin's handlers and swaps the table. */
    public synchronized void register(PluginHandlers handlers) {
        plugins.put(handlers.pluginId(), handlers);
        rebuild();
        registerListeners.forEach(l -> l.accept(handlers.pluginId()));
    }

    /** Removes a plugin's handlers and swaps the table. */
    public synchronized void unregister(String pluginId) {
        if (plugins.remove(pluginId) != null) {
            rebuild();
            unregisterListeners.forEach(l -> l.accept(pluginId));
        }
    }

    /** Called with a plugin id once its handlers left the table (it was unloaded), e.g. to drop its state. */
    public void onUnregister(Consumer<String> listener) {
        unregisterListeners.add(listener);
    }

    public synchronized Optional<PluginHandlers> plugin(String pluginId) {
        return Optional.ofNullable(plugins.get(pluginId));
    }

    public synchronized Collection<PluginHandlers> plugins() {
        return List.copyOf(plugins.values());
    }

    private void rebuild() {
        table = EventTable.of(plugins.values(), table.generation() + 1);
    }

    /**
     * Holds a plugin: workers start none of its queued events until {@link #release(String)}; events
     * already running finish. Returns at once; see {@link #awaitIdle(String, Duration)}.
     */
    public void hold(String pluginId) {
        gate(pluginId).hold();
    }

    /** Waits until none of the plugin's processors runs; false if the deadline passed first. */
    public boolean awaitIdle(String pluginId, Duration deadline) throws InterruptedException {
        return gate(pluginId).awaitIdle(deadline);
    }

    public void release(String pluginId) {
        if (gate(pluginId).release()) {
            releaseListeners.forEach(l -> l.accept(pluginId));
        }
    }

    public boolean isHeld(String pluginId) {
        return gate(pluginId).isHeld();
    }

    /** A worker's entry into a plugin's processor: false while the plugin is held. */
    public boolean tryEnter(String pluginId) {
        return gate(pluginId).tryEnter();
    }

    public void exit(String pluginId) {
        gate(pluginId).exit();
    }

    /** How many of the plugin's processors run now. */
    public int inFlight(String pluginId) {
        return gate(pluginId).inFlight();
    }

    /** Called with a plugin id when it is released, so parked queues can go on. */
    public void onRelease(Consumer<String> listener) {
        releaseListeners.add(listener);
    }

    /** Called with a plugin id each time a version of it is registered (loaded or reloaded). */
    public void onRegister(Consumer<String> listener) {
        registerListeners.add(listener);
    }

    private PluginGate gate(String pluginId) {
        return gates.computeIfAbsent(pluginId, id -> new PluginGate());
    }

    /** Held flag and in-flight count of one plugin, changed together so no processor slips past a hold. */
    private static final class PluginGate {
        private boolean held;
        private int inFlight;

        synchronized void hold() {
            held = true;
        }

        synchronized boolean release() {
            boolean was = held;
            held = false;
            return was;
        }

        synchronized boolean isHeld() {
            return held;
        }

        synchronized boolean tryEnter() {
            if (held) {
                return false;
            }
            inFlight++;
            return true;
        }

        synchronized void exit() {
            inFlight--;
            notifyAll();
        }

        synchronized int inFlight() {
            return inFlight;
        }

        synchronized boolean awaitIdle(Duration deadline) throws InterruptedException {
            long end = System.nanoTime() + deadline.toNanos();
            while (inFlight > 0) {
                long left = end - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return true;
        }
    }
}
