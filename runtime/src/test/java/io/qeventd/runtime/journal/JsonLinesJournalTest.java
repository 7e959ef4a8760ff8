package io.qeventd.runtime.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesJournalTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    static JournalRecord record(int n) {
        return new JournalRecord(Instant.parse("2026-12-02T10:00:00Z"), "vm1", "SEQ", null, "p", "1.0", "SEQ",
                Outcome.PROCESSED, 5L, 7L, null, List.of("did " + n));
    }

    static List<JsonNode> lines(Path file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            out.add(JSON.readTree(line)); // a torn or merged line would not parse
        }
        return out;
    }

    @Test
    void recordsAreWholeLinesWithTheJournalsFieldsInOrder() throws Exception {
        Path file = dir.resolve("j.jsonl");
        try (JsonLinesJournal j = new JsonLinesJournal(file)) {
            j.record(record(1));
            j.record(record(2));
            j.flush();
        }
        List<JsonNode> lines = lines(file);
        assertThat(lines).hasSize(2);
        List<String> fields = new ArrayList<>();
        lines.get(0).fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("time", "domain", "event", "qemuTime", "plugin", "pluginVersion", "type",
                "outcome", "latencyMicros", "processingMicros", "error", "actions");
        assertThat(lines.get(1).get("actions").get(0).asText()).isEqualTo("did 2");
        assertThat(Files.readString(file)).endsWith("\n");
    }

    @Test
    void aTornLastLineIsMovedAsideAndReportedNeverAppendedTo() throws Exception {
        Path file = dir.resolve("j.jsonl");
        String whole = JsonLinesJournal.toJson(record(1)) + "\n";
        String torn = JsonLinesJournal.toJson(record(2)).substring(0, 40);
        Files.writeString(file, whole + torn);
        try (JsonLinesJournal j = new JsonLinesJournal(file)) {
            j.record(record(3));
            j.flush();
        }
        List<JsonNode> lines = lines(file);
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0).get("actions").get(0).asText()).isEqualTo("did 1");
        assertThat(lines.get(1).get("event").asText()).isEqualTo("journal/torn-tail");
        assertThat(lines.get(1).get("outcome").asText()).isEqualTo("lost");
        assertThat(lines.get(1).get("error").asText()).contains("40 bytes").contains(".torn-");
        assertThat(lines.get(2).get("actions").get(0).asText()).isEqualTo("did 3");
        try (Stream<Path> s = Files.list(dir)) {
            Path aside = s.filter(p -> p.getFileName().toString().startsWith("j.jsonl.torn-")).findFirst().orElseThrow();
            assertThat(Files.readString(aside)).isEqualTo(torn);
        }
    }

    @Test
    void aFileWithoutAnyNewlineIsMovedAsideWhole() throws Exception {
        Path file = dir.resolve("j.jsonl");
        Files.writeString(file, "{\"time\":\"2026");
        try (JsonLinesJournal j = new JsonLinesJournal(file)) {
            j.record(record(1));
            j.flush();
        }
        assertThat(lines(file)).extracting(n -> n.get("event").asText()).containsExactly("journal/torn-tail", "SEQ");
    }

    @Test
    void reopenAfterLogrotateMovedTheFileGoesOnInANewFile() throws Exception {
        Path file = dir.resolve("j.jsonl");
        Path rotated = dir.resolve("j.jsonl.1");
        try (JsonLinesJournal j = new JsonLinesJournal(file, JournalSync.ALWAYS)) {
            j.record(record(1));
            j.flush();
            Files.move(file, rotated);
            j.record(record(2)); // still goes to the moved file, as with any open file...
            j.reopen();          // ...until SIGHUP
            j.record(record(3));
            j.flush();
        }
        assertThat(lines(rotated)).extracting(n -> n.get("actions").get(0).asText()).containsExactly("did 1", "did 2");
        assertThat(lines(file)).extracting(n -> n.get("actions").get(0).asText()).containsExactly("did 3");
    }

    @Test
    void aJournalPathThatIsADirectoryIsAClearError() throws Exception {
        Path d = Files.createDirectory(dir.resolve("journal-dir"));
        assertThatThrownBy(() -> new JsonLinesJournal(d)).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("cannot open journal " + d).hasMessageContaining("directory");
    }

    @Test
    void everySyncPolicyWritesTheSameLines() throws Exception {
        for (JournalSync sync : JournalSync.values()) {
            Path file = dir.resolve(sync.configName() + ".jsonl");
            try (JsonLinesJournal j = new JsonLinesJournal(file, sync)) {
                for (int i = 0; i < 100; i++) {
                    j.record(record(i));
                }
                j.flush();
            }
            assertThat(lines(file)).as(sync.name()).hasSize(100);
        }
    }
}
