package io.qeventd.runtime.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Collects the problems of one configuration file while it is read, so that all are reported at once. */
final class ConfigErrors {
    private final String file;
    private final List<ConfigError> errors = new ArrayList<>();

    ConfigErrors(String file) {
        this.file = file;
    }

    String file() {
        return file;
    }

    void add(YamlNode.Mark at, String key, String message) {
        errors.add(new ConfigError(file, at.line(), at.column(), key, message));
    }

    boolean isEmpty() {
        return errors.isEmpty();
    }

    /** Throws when any problem was found, listing them in file order. */
    void throwIfAny() throws ConfigException {
        if (!errors.isEmpty()) {
            List<ConfigError> sorted = new ArrayList<>(errors);
            sorted.sort(Comparator.comparingInt(ConfigError::line).thenComparingInt(ConfigError::column));
            throw new ConfigException(sorted);
        }
    }
}
