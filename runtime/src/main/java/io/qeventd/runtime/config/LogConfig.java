package io.qeventd.runtime.config;

import java.util.Objects;

/**
 * The daemon's logging ({@code log.level}, {@code log.format}).
 *
 * @param level  the lowest level logged
 * @param format plain text lines, or one JSON object per line for log collectors
 */
public record LogConfig(Level level, Format format) {
    public LogConfig {
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(format, "format");
    }

    /** Written in the configuration in lower case: {@code trace} ... {@code error}. */
    public enum Level { TRACE, DEBUG, INFO, WARN, ERROR }

    /** Written in the configuration in lower case: {@code text}, {@code json}. */
    public enum Format { TEXT, JSON }
}
