package io.qeventd.runtime.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/** Finds the configuration files under src/test/resources/config and loads them. */
final class ConfigFixtures {
    private ConfigFixtures() {
    }

    static Path file(String name) {
        URL url = ConfigFixtures.class.getResource("/config/" + name);
        assertThat(url).as("test resource config/%s", name).isNotNull();
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Loads a file that must be refused, checking that every error names that file. */
    static ConfigException refused(String name) {
        Path file = file(name);
        ConfigException refused = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(file));
        assertThat(refused).as("loading config/%s must fail", name).isNotNull();
        assertThat(refused.errors()).extracting(ConfigError::file).containsOnly(file.toString());
        return refused;
    }

    /** Parses text that must be refused, as if it were the file qeventd.yaml. */
    static ConfigException refusedText(String yaml) {
        ConfigException refused = catchThrowableOfType(ConfigException.class,
                () -> ConfigLoader.parse(yaml, "qeventd.yaml", Path.of("/etc/qeventd")));
        assertThat(refused).as("parsing must fail:%n%s", yaml).isNotNull();
        return refused;
    }
}
