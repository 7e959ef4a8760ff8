package io.qeventd.runtime.admin;

import java.nio.file.Path;

/** No daemon answers on the admin socket: it does not exist, is no socket, or nobody listens there. */
public final class AdminUnavailableException extends AdminException {
    private final Path socket;

    public AdminUnavailableException(Path socket, String why, Throwable cause) {
        super("no qeventd daemon answers on " + socket + ": " + why, cause);
        this.socket = socket;
    }

    public Path socket() {
        return socket;
    }
}
