package io.qeventd.runtime.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where plugins come from ({@code plugins.*}).
 *
 * @param dir           the plugins directory, absolute
 * @param watch         whether jars added, replaced or removed there are loaded without a restart
 * @param allowWritable whether a plugins directory that users other than the daemon's can write is
 *                      accepted (for development only: such a user could run code in the daemon)
 */
public record PluginsConfig(Path dir, boolean watch, boolean allowWritable) {
    public PluginsConfig {
        Objects.requireNonNull(dir, "dir");
    }

    public PluginsConfig withDir(Path newDir) {
        return new PluginsConfig(newDir, watch, allowWritable);
    }

    /**
     * Where plugins are looked for when {@code plugins.dir} is not set: the distribution's own
     * {@code plugins/} when qeventd runs from one ({@code -Dqeventd.home}, set by bin/qeventd), else
     * {@code fallback} (a {@code plugins} directory beside the configuration file).
     */
    public static Path defaultDir(Path fallback) {
        String home = System.getProperty("qeventd.home");
        return home != null ? Path.of(home, "plugins").toAbsolutePath() : fallback;
    }
}
