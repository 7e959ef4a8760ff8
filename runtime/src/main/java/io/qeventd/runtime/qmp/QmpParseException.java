package io.qeventd.runtime.qmp;

/** A line that is not a QMP message: not JSON, or JSON of no known shape. */
public final class QmpParseException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String snippet;

    public QmpParseException(String reason, String snippet, Throwable cause) {
        super(reason + ": " + snippet, cause);
        this.snippet = snippet;
    }

    /** The start of the offending line, printable. */
    public String snippet() {
        return snippet;
    }
}
