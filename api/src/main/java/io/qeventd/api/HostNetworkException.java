package io.qeventd.api;

/** A host network read or change failed; the message names the device, namespace and step. */
public class HostNetworkException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public HostNetworkException(String message) {
        super(message);
    }

    public HostNetworkException(String message, Throwable cause) {
        super(message, cause);
    }
}
