package io.qeventd.runtime.state;

import io.qeventd.api.state.SharedState;
import io.qeventd.api.state.StateKey;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** One plugin version's {@link SharedState}: publishes under its id and class loader, reads everyone's. */
final class PluginSharedState implements SharedState {
    private final StateRegistry registry;
    private final String pluginId;
    private final ClassLoader owner;

    PluginSharedState(StateRegistry registry, String pluginId, ClassLoader owner) {
        this.registry = registry;
        this.pluginId = Objects.requireNonNull(pluginId, "pluginId");
        this.owner = owner;
    }

    @Override
    public <T> void publish(String domain, StateKey<T> key, T value) {
        Objects.requireNonNull(domain, "domain");
        registry.put(domain, entry(key, value));
    }

    @Override
    public void withdraw(String domain, StateKey<?> key) {
        registry.remove(domain, pluginId, key.name());
    }

    @Override
    public <T> Optional<T> get(String domain, StateKey<T> key) {
        return registry.get(domain, key.name()).map(e -> cast(key, e));
    }

    @Override
    public <T> void provide(StateKey<T> key, T service) {
        registry.provide(entry(key, service));
    }

    @Override
    public <T> Optional<T> service(StateKey<T> key) {
        return registry.service(key.name()).map(e -> cast(key, e));
    }

    @Override
    public <T> Map<String, T> all(StateKey<T> key) {
        Map<String, T> out = new LinkedHashMap<>();
        registry.all(key.name()).forEach((domain, e) -> out.put(domain, cast(key, e)));
        return out;
    }

    private <T> StateEntry entry(StateKey<T> key, T value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        if (!key.type().isInstance(value)) {
            throw new IllegalArgumentException("state key '" + key.name() + "' takes " + key.type().getName()
                    + ", not " + value.getClass().getName());
        }
        return new StateEntry(pluginId, owner, key, value);
    }

    private <T> T cast(StateKey<T> key, StateEntry e) {
        if (!key.type().isInstance(e.value())) {
            // Typically the reader's class of that name comes from another class loader.
            throw new IllegalStateException("state key '" + key.name() + "' of plugin " + e.pluginId() + " holds a "
                    + e.value().getClass().getName() + " from " + e.value().getClass().getClassLoader()
                    + ", which plugin " + pluginId + " cannot read as " + key.type().getName() + " from "
                    + key.type().getClassLoader() + ": declare Plugin-Dependencies on " + e.pluginId());
        }
        return key.type().cast(e.value());
    }
}
