package io.qeventd.testkit.vm;

/** A command sent to the test guest got no answer in time, or the channel to the guest failed. */
public class GuestShellException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public GuestShellException(String message) {
        super(message);
    }

    public GuestShellException(String message, Throwable cause) {
        super(message, cause);
    }
}
