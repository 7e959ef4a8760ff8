package io.qeventd.runtime.record;

/** A file that is not a recording {@code qeventd record} wrote; the message names the file and line. */
public final class RecordingFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RecordingFormatException(String message) {
        super(message);
    }
}
