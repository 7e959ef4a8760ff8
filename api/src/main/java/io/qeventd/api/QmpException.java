package io.qeventd.api;

/** Base of every failure of a QMP command. */
public class QmpException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public QmpException(String message) {
        super(message);
    }

    public QmpException(String message, Throwable cause) {
        super(message, cause);
    }
}
