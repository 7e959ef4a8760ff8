package io.qeventd.testkit.vm;

/** QEMU could not be started for a test: not installed, exited early, or its sockets never listened. */
public class QemuStartException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public QemuStartException(String message) {
        super(message);
    }

    public QemuStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
