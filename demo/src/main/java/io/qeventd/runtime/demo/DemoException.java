package io.qeventd.runtime.demo;

/** The demo could not do what its scenario says: QEMU refused a command, or an event did not come in time. */
public final class DemoException extends RuntimeException {
    public DemoException(String message) {
        super(message);
    }

    public DemoException(String message, Throwable cause) {
        super(message, cause);
    }
}
