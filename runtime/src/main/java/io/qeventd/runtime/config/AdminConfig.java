package io.qeventd.runtime.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The admin socket ({@code admin.socket}), through which the CLI asks the running daemon for status.
 *
 * @param socket the unix socket path, absolute
 */
public record AdminConfig(Path socket) {
    public AdminConfig {
        Objects.requireNonNull(socket, "socket");
    }

    /**
     * {@code /run/qeventd/admin.sock} for root, else {@code $XDG_RUNTIME_DIR/qeventd/admin.sock}, else
     * {@code /tmp/qeventd-<uid>/admin.sock}: a directory only this user should be able to write.
     */
    public static Path defaultSocket(ProcessUser user) {
        if (user.isRoot()) {
            return Path.of("/run/qeventd/admin.sock");
        }
        return user.xdgRuntimeDir()
                .map(dir -> dir.resolve("qeventd").resolve("admin.sock"))
                .orElse(Path.of("/tmp/qeventd-" + user.uid(), "admin.sock"));
    }
}
