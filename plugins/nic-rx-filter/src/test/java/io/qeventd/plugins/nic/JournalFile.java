package io.qeventd.plugins.nic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The daemon's journal file as a test reads it: one JSON object per line, written by the daemon's own thread. */
final class JournalFile {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration POLL = Duration.ofMillis(100);

    private final Path file;

    JournalFile(Path file) {
        this.file = file;
    }

    Path path() {
        return file;
    }

    /** The file as it is now; empty before the first line is written. */
    String text() {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the journal " + file, e);
        }
    }

    /** The complete lines written so far. */
    List<JsonNode> lines() {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : text().lines().toList()) {
            try {
                lines.add(JSON.readTree(line));
            } catch (IOException e) {
                // The writer is in the middle of this line; a later read sees it whole.
            }
        }
        return lines;
    }

    /** The lines of {@code event} (e.g. NIC_RX_FILTER_CHANGED) written so far. */
    List<JsonNode> lines(String event) {
        return lines().stream().filter(l -> l.path("event").asText().equals(event)).toList();
    }

    /** Every action of {@code lines}, in order. */
    static List<String> actions(List<JsonNode> lines) {
        List<String> actions = new ArrayList<>();
        lines.forEach(l -> l.path("actions").forEach(a -> actions.add(a.asText())));
        return actions;
    }

    /** Polls until the lines of {@code event} hold {@code action}; returns those lines. */
    List<JsonNode> awaitAction(String event, String action, Duration deadline) throws InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        while (true) {
            List<JsonNode> lines = lines(event);
            if (actions(lines).contains(action)) {
                return lines;
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("no " + event + " line with action '" + action + "' in " + file + " within "
                        + deadline + ":\n" + text());
            }
            Thread.sleep(POLL.toMillis());
        }
    }
}
