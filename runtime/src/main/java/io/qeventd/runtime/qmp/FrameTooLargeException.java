package io.qeventd.runtime.qmp;

/** A QMP message exceeded the configured size limit; the connection cannot resynchronise safely. */
public final class FrameTooLargeException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int limit;

    public FrameTooLargeException(int limit, long streamOffset) {
        super("QMP message at stream offset " + streamOffset + " exceeds the size limit of " + limit
                + " bytes (maxMessageSize)");
        this.limit = limit;
    }

    public int limit() {
        return limit;
    }
}
