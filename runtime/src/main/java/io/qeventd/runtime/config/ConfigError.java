package io.qeventd.runtime.config;

import java.util.Objects;

/**
 * One problem found in a configuration, with the place it was found.
 *
 * @param file    the configuration's name as the operator knows it (usually its path); empty when the
 *                problem did not come from a file (a command-line flag)
 * @param line    1-based line, or 0 when the problem has no position (an unreadable file, a flag)
 * @param column  1-based column, or 0 with {@code line}
 * @param key     the dotted key path the problem concerns ({@code domains[1].qmp}, list indexes count
 *                from 0); empty for the top level
 * @param message what is wrong, phrased so that the operator can fix it
 */
public record ConfigError(String file, int line, int column, String key, String message) {
    public ConfigError {
        file = file == null ? "" : file;
        key = key == null ? "" : key;
        Objects.requireNonNull(message, "message");
    }

    /** {@code FILE:LINE:COL: KEY: MESSAGE}, leaving out the parts that are unknown or empty. */
    public String render() {
        StringBuilder out = new StringBuilder(file);
        if (line > 0) {
            if (!file.isEmpty()) {
                out.append(':');
            }
            out.append(line).append(':').append(column);
        }
        if (!out.isEmpty()) {
            out.append(": ");
        }
        if (!key.isEmpty()) {
            out.append(key).append(": ");
        }
        return out.append(message).toString();
    }

    @Override
    public String toString() {
        return render();
    }
}
