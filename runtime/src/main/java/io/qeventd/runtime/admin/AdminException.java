package io.qeventd.runtime.admin;

/** A request on the admin socket got no usable answer: the daemon answered with an error, garbage or not in time. */
public class AdminException extends Exception {
    public AdminException(String message) {
        super(message);
    }

    public AdminException(String message, Throwable cause) {
        super(message, cause);
    }
}
