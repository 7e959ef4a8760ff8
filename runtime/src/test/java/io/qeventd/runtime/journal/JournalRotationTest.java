package io.qeventd.runtime.journal;

import static io.qeventd.runtime.journal.JsonLinesJournalTest.record;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** journalRotate: by size, keeping N, optionally compressed; no record lost, torn or written twice. */
class JournalRotationTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** Every line of the journal, oldest file first; each line must parse (a torn line would not). */
    static List<JsonNode> allLines(Path file, int keep) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (int n = keep; n >= 0; n--) {
            Path plain = n == 0 ? file : JournalRotation.rotated(file, n, false);
            Path gz = JournalRotation.rotated(file, n, true);
            for (Path p : List.of(gz, plain)) {
                if (Files.exists(p)) {
                    try (InputStream in = p == gz ? new GZIPInputStream(Files.newInputStream(p))
                            : Files.newInputStream(p);
                         BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                        for (String line = r.readLine(); line != null; line = r.readLine()) {
                            out.add(JSON.readTree(line));
                        }
                    }
                }
            }
        }
        return out;
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void theFileIsRotatedBySizeAndOnlyKeepFilesStay() throws Exception {
        Path file = dir.resolve("j.jsonl");
        try (JsonLinesJournal j = new JsonLinesJournal(file, JournalSync.NEVER, new JournalRotation(4096, 3, false))) {
            for (int i = 0; i < 2000; i++) {
                j.record(record(i));
                if (i % 10 == 9) {
                    j.flush();
                }
            }
            assertThat(j.rotations()).isGreaterThan(10);
        }
        assertThat(names(dir)).containsExactly("j.jsonl", "j.jsonl.1", "j.jsonl.2", "j.jsonl.3");
        for (String n : List.of("j.jsonl.1", "j.jsonl.2", "j.jsonl.3")) {
            // Rotation happens after a whole batch: a file passes maxSize by less than one batch.
            assertThat(Files.size(dir.resolve(n))).isBetween(4096L, 4096L + 64 * 1024);
        }
        // The newest records, in order, with no gap, across the files that stayed.
        List<JsonNode> kept = allLines(file, 3);
        int first = Integer.parseInt(kept.get(0).get("actions").get(0).asText().substring(4));
        for (int k = 0; k < kept.size(); k++) {
            assertThat(kept.get(k).get("actions").get(0).asText()).isEqualTo("did " + (first + k));
        }
        assertThat(first + kept.size()).isEqualTo(2000);
    }

    @Test
    void compressedRotationUnderLoadHasEveryRecordExactlyOnce() throws Exception {
        Path file = dir.resolve("j.jsonl");
        int threads = 4;
        int each = 10_000; // 40,000 records: within the journal's queue, so none is lost to overflow
        JsonLinesJournal sink = new JsonLinesJournal(file, JournalSync.INTERVAL, new JournalRotation(64 * 1024, 10_000,
                true));
        Journal journal = new Journal();
        journal.addSink(sink);
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int base = t * each;
            Thread w = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < each; i++) {
                    journal.record(record(base + i));
                }
            });
            w.start();
            workers.add(w);
        }
        start.countDown();
        for (Thread w : workers) {
            w.join();
        }
        assertThat(journal.close(Duration.ofSeconds(60))).isTrue();
        sink.close();
        assertThat(journal.lost()).isZero();
        assertThat(sink.rotations()).isGreaterThan(20);
        assertThat(names(dir)).noneMatch(n -> n.endsWith(".tmp"))
                .filteredOn(n -> !n.equals("j.jsonl")).allMatch(n -> n.endsWith(".gz"));

        Map<String, Integer> seen = new HashMap<>();
        for (JsonNode line : allLines(file, 10_000)) {
            seen.merge(line.get("actions").get(0).asText(), 1, Integer::sum);
        }
        assertThat(seen).hasSize(threads * each);
        assertThat(seen.values()).allMatch(c -> c == 1);
    }
}
