package io.qeventd.api.state;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The name and type of one published value, e.g. {@code StateKey.of("lifecycle.run-state", RunState.class)}.
 * Names are shared by all plugins: start them with the plugin id. Two keys are equal when their names are.
 *
 * @param name lower case letters, digits, '.', '-' and '_'; shown as the value's heading in {@code qeventd status}
 * @param type what the value is; publishing or reading checks against it
 */
public record StateKey<T>(String name, Class<T> type) {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9._-]*");

    public StateKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a state key name: '" + name
                    + "' (expected lower case letters, digits, '.', '-' and '_', e.g. lifecycle.run-state)");
        }
    }

    public static <T> StateKey<T> of(String name, Class<T> type) {
        return new StateKey<>(name, type);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StateKey<?> k && k.name.equals(name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }
}
