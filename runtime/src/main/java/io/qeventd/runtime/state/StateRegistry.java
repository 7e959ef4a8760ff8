package io.qeventd.runtime.state;

import io.qeventd.api.state.SharedState;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Predicate;

/**
 * The values plugins publish per domain and the services they offer, each recorded with the plugin version
 * (class loader) that published it, so that unloading or reloading a version withdraws exactly its own.
 *
 * <p>Lock-free for readers; a key's name belongs to the first plugin that publishes under it, until that
 * plugin withdraws it or goes away.
 */
public final class StateRegistry {
    private static final StateRegistry SHARED = new StateRegistry();

    /** domain -> key name -> entry */
    private final ConcurrentMap<String, ConcurrentMap<String, StateEntry>> values = new ConcurrentHashMap<>();
    /** key name -> entry */
    private final ConcurrentMap<String, StateEntry> services = new ConcurrentHashMap<>();

    /** A registry of its own, e.g. for a test's pipeline; the daemon uses {@link #shared()}. */
    public StateRegistry() {
    }

    /**
     * The registry of this process's daemon: plugin injectors bind their {@link SharedState} to it and
     * {@code qeventd status} reads it. A daemon runs one pipeline per process.
     */
    public static StateRegistry shared() {
        return SHARED;
    }

    /** A plugin version's handle; {@code owner} is its class loader. */
    public SharedState forPlugin(String pluginId, ClassLoader owner) {
        return new PluginSharedState(this, pluginId, owner);
    }

    void put(String domain, StateEntry e) {
        ConcurrentMap<String, StateEntry> d = values.computeIfAbsent(domain, k -> new ConcurrentHashMap<>());
        d.compute(e.key().name(), (name, old) -> claim(old, e, "domain '" + domain + "'"));
    }

    void provide(StateEntry e) {
        services.compute(e.key().name(), (name, old) -> claim(old, e, "the services"));
    }

    private static StateEntry claim(StateEntry old, StateEntry e, String where) {
        if (old != null && !old.pluginId().equals(e.pluginId())) {
            throw new IllegalStateException("state key '" + e.key().name() + "' in " + where + " belongs to plugin "
                    + old.pluginId() + ", not " + e.pluginId() + ": start key names with the plugin id");
        }
        return e;
    }

    void remove(String domain, String pluginId, String keyName) {
        ConcurrentMap<String, StateEntry> d = values.get(domain);
        if (d != null) {
            d.computeIfPresent(keyName, (k, old) -> old.pluginId().equals(pluginId) ? null : old);
        }
    }

    Optional<StateEntry> get(String domain, String keyName) {
        ConcurrentMap<String, StateEntry> d = values.get(domain);
        return Optional.ofNullable(d == null ? null : d.get(keyName));
    }

    Optional<StateEntry> service(String keyName) {
        return Optional.ofNullable(services.get(keyName));
    }

    Map<String, StateEntry> all(String keyName) {
        Map<String, StateEntry> out = new TreeMap<>();
        values.forEach((domain, d) -> {
            StateEntry e = d.get(keyName);
            if (e != null) {
                out.put(domain, e);
            }
        });
        return out;
    }

    /** Withdraws everything the plugin version with this class loader published (it was unloaded or replaced). */
    public void releaseVersion(ClassLoader owner) {
        removeIf(e -> e.owner() == owner);
    }

    /** Withdraws everything a plugin published, whatever its version (it was unloaded). */
    public void releasePlugin(String pluginId) {
        removeIf(e -> e.pluginId().equals(pluginId));
    }

    /** Withdraws every value published for a domain (it was detached), services stay. */
    public void releaseDomain(String domain) {
        values.remove(domain);
    }

    private void removeIf(Predicate<StateEntry> p) {
        values.values().forEach(d -> d.values().removeIf(p));
        values.values().removeIf(Map::isEmpty);
        services.values().removeIf(p);
    }

    /**
     * What {@code qeventd status} shows: plugin id -> key name -> domain -> fields, sorted, every field value
     * a string, number, boolean or null (never a plugin's class, which would outlive the plugin in a
     * serialiser's cache).
     */
    public Map<String, Map<String, Map<String, Map<String, Object>>>> snapshot() {
        Map<String, Map<String, Map<String, Map<String, Object>>>> out = new TreeMap<>();
        values.forEach((domain, d) -> d.values().forEach(e -> out
                .computeIfAbsent(e.pluginId(), k -> new TreeMap<>())
                .computeIfAbsent(e.key().name(), k -> new TreeMap<>())
                .put(domain, StatusValues.fields(e.value()))));
        return out;
    }

    /** The services offered: plugin id -> key names. */
    public Map<String, List<String>> servicesByPlugin() {
        Map<String, List<String>> out = new TreeMap<>();
        services.values().forEach(e -> out.computeIfAbsent(e.pluginId(), k -> new ArrayList<>())
                .add(e.key().name()));
        out.values().forEach(Collections::sort);
        return new LinkedHashMap<>(out);
    }
}
