package io.qeventd.runtime.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Who the daemon runs as, as far as default paths depend on it.
 *
 * @param uid           the real user id
 * @param xdgRuntimeDir {@code $XDG_RUNTIME_DIR} when it is set to an absolute path
 */
public record ProcessUser(long uid, Optional<Path> xdgRuntimeDir) {
    public ProcessUser {
        Objects.requireNonNull(xdgRuntimeDir, "xdgRuntimeDir");
    }

    public boolean isRoot() {
        return uid == 0;
    }

    /** The user this JVM runs as (Linux: read from /proc/self). */
    public static ProcessUser current() {
        try {
            long uid = ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
            return new ProcessUser(uid, xdgRuntimeDir(System.getenv("XDG_RUNTIME_DIR")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot tell which user the daemon runs as from /proc/self", e);
        }
    }

    /** The XDG base directory rules say a relative value is to be ignored. */
    static Optional<Path> xdgRuntimeDir(String value) {
        if (value == null || value.isEmpty()) {
            return Optional.empty();
        }
        Path dir = Path.of(value);
        return dir.isAbsolute() ? Optional.of(dir) : Optional.empty();
    }
}
