package io.qeventd.runtime.monitor;

import io.qeventd.api.QmpException;

/** A monitor could not be connected or negotiated: no socket, refused, no greeting in time. */
public final class MonitorConnectException extends QmpException {
    private static final long serialVersionUID = 1L;

    public MonitorConnectException(String message) {
        super(message);
    }

    public MonitorConnectException(String message, Throwable cause) {
        super(message, cause);
    }
}
