package io.qeventd.runtime.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The configuration is invalid; the daemon must not start with it. Carries every problem found, not
 * only the first, so that the operator can fix them all in one go.
 */
public final class ConfigException extends Exception {
    private final List<ConfigError> errors;

    public ConfigException(List<ConfigError> errors) {
        super(render(errors));
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one error");
        }
        this.errors = List.copyOf(errors);
    }

    public ConfigException(ConfigError error) {
        this(List.of(error));
    }

    /** The problems in the order they appear in the file. */
    public List<ConfigError> errors() {
        return errors;
    }

    private static String render(List<ConfigError> errors) {
        return errors.stream().map(ConfigError::render).collect(Collectors.joining("\n"));
    }
}
