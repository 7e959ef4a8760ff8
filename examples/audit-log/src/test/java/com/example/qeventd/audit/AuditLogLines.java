package com.example.qeventd.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The audit log as a test reads it: every line must be one whole JSON object. */
final class AuditLogLines {
    private static final ObjectMapper JSON = new ObjectMapper();

    private AuditLogLines() {
    }

    static List<String> text(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the audit log " + file, e);
        }
    }

    static List<JsonNode> read(Path file) {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : text(file)) {
            try {
                lines.add(JSON.readTree(line));
            } catch (IOException e) {
                throw new AssertionError("not a whole JSON line in " + file + ": " + line, e);
            }
        }
        return lines;
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
