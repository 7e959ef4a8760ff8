package com.example.qeventd.audit;

import java.io.IOException;
import java.nio.file.Path;

/** A line could not be appended to the audit log; the daemon journals the event as failed with this message. */
public class AuditLogWriteException extends IOException {
    private static final long serialVersionUID = 1L;

    public AuditLogWriteException(Path file, IOException cause) {
        super("cannot append to the audit log " + file + ": " + cause.getClass().getSimpleName()
                + (cause.getMessage() == null ? "" : " (" + cause.getMessage() + ")"), cause);
    }
}
