package io.qeventd.runtime.daemon;

/** The daemon cannot start as configured (e.g. an unsafe plugins directory); the message says why and how to fix it. */
public final class DaemonStartException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DaemonStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
