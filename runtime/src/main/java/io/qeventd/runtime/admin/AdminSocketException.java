package io.qeventd.runtime.admin;

import java.io.IOException;

/** The daemon cannot open its admin socket: another daemon answers there, the path is taken or unusable. */
public final class AdminSocketException extends IOException {
    public AdminSocketException(String message) {
        super(message);
    }

    public AdminSocketException(String message, Throwable cause) {
        super(message, cause);
    }
}
