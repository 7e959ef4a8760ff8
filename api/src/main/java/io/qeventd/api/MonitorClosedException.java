package io.qeventd.api;

/**
 * The monitor closed before the command was answered: QEMU exited, the socket broke, or the daemon
 * is detaching the domain. For a processor this is a normal outcome of a domain going away.
 */
public class MonitorClosedException extends QmpException {
    private static final long serialVersionUID = 1L;

    public MonitorClosedException(String message) {
        super(message);
    }

    public MonitorClosedException(String message, Throwable cause) {
        super(message, cause);
    }
}
