package io.qeventd.testkit.vm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a daemon's journal file (JSON lines) while the daemon writes it, for tests that run a daemon
 * (the test kit's {@code TestDaemon.journal}, or {@link AbstractDaemonFixture#journal}): a line per outcome
 * of an event for a plugin, with its {@code actions}.
 */
public final class JournalLines {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JournalLines() {
    }

    /** The complete lines written so far; empty before the file exists. A line still being written is left out. */
    public static List<JsonNode> read(Path journal) {
        List<JsonNode> out = new ArrayList<>();
        try {
            if (Files.exists(journal)) {
                for (String line : Files.readAllLines(journal)) {
                    try {
                        out.add(JSON.readTree(line));
                    } catch (IOException e) {
                        // The writer is in the middle of this line; a later read sees it whole.
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the journal " + journal, e);
        }
        return out;
    }

    /** The lines of {@code plugin}, in order. */
    public static List<JsonNode> ofPlugin(Path journal, String plugin) {
        return read(journal).stream().filter(l -> l.path("plugin").asText().equals(plugin)).toList();
    }

    /** Every action of every line so far, in order. */
    public static List<String> actions(Path journal) {
        List<String> actions = new ArrayList<>();
        read(journal).forEach(l -> l.path("actions").forEach(a -> actions.add(a.asText())));
        return actions;
    }

    /** Waits until some line's actions include one that starts with {@code prefix}; returns that action. */
    public static String awaitAction(Path journal, String prefix, Duration deadline) {
        List<String> actions = Eventually.await("a journal action starting with '" + prefix + "' in " + journal,
                deadline, () -> actions(journal), list -> list.stream().anyMatch(a -> a.startsWith(prefix)));
        return actions.stream().filter(a -> a.startsWith(prefix)).findFirst().orElseThrow();
    }
}
