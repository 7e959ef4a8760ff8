package io.qeventd.runtime.metrics;

/** The metrics listener cannot be opened (the port is taken, the address is not this host's); the message says where. */
public final class MetricsListenException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MetricsListenException(String message, Throwable cause) {
        super(message, cause);
    }
}
