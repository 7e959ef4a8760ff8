package com.example.qeventd.audit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The audit log: whole lines appended, one at a time. Workers of different domains append in parallel;
 * the lock keeps their lines from mixing.
 *
 * <p>The file is opened for each line rather than held open: a log rotator may move it away at any time
 * (the next line starts a new file), and a plugin that is unloaded or replaced leaves nothing open.
 */
final class AuditLogFile {
    private final Path file;

    AuditLogFile(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    /** Appends {@code line} and a newline, creating the file if needed; the line is written when this returns. */
    synchronized void append(String line) throws AuditLogWriteException {
        byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            Files.write(file, bytes, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new AuditLogWriteException(file, e);
        }
    }
}
