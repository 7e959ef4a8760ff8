package io.qeventd.runtime.journal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A journal on a real, small file system (a 256 KiB tmpfs the test mounts; it runs as root, as the test
 * suite does) filled up, then freed: no line is torn or corrupted, the error shows in the journal's health,
 * records wait and then are counted as lost, and a summary record says so once writing works again.
 */
class JournalFullDiskTest {
    @TempDir
    Path dir;
    private Path mount;

    @BeforeEach
    void mountSmallDisk() throws Exception {
        mount = Files.createDirectory(dir.resolve("disk"));
        run("mount", "-t", "tmpfs", "-o", "size=256k", "qeventd-test-disk", mount.toString());
    }

    @AfterEach
    void unmount() throws Exception {
        run("umount", mount.toString());
    }

    @Test
    void aFullDiskIsAVisibleErrorLosesNoLineHalfAndIsSummarisedWhenFreed() throws Exception {
        Path file = mount.resolve("journal.jsonl");
        Path filler = mount.resolve("filler");
        try (JsonLinesJournal j = new JsonLinesJournal(file)) {
            for (int i = 0; i < 50; i++) {
                j.record(JsonLinesJournalTest.record(i));
            }
            j.flush();
            assertThat(j.health().ok()).isTrue();
            fill(filler);
            for (int i = 50; i < 100; i++) {
                j.record(JsonLinesJournalTest.record(i));
            }
            j.flush();
            JournalHealth failing = j.health();
            assertThat(failing.ok()).isFalse();
            assertThat(failing.error()).contains("No space left on device");
            assertThat(failing.since()).isNotNull();
            assertThat(failing.waiting()).isEqualTo(50);
            // More than memory may hold while failing: given up, counted.
            int big = JsonLinesJournal.MAX_WAITING_BYTES / JsonLinesJournal.toJson(JsonLinesJournalTest.record(1)).length() + 10;
            for (int i = 0; i < big; i++) {
                j.record(JsonLinesJournalTest.record(1000 + i));
            }
            JournalHealth gaveUp = j.health();
            assertThat(gaveUp.lost()).isPositive();
            assertThat(lines(file)).as("the file holds whole lines only while the disk is full").hasSize(50);
            Files.delete(filler);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!j.health().ok()) {
                assertThat(System.nanoTime()).as("the journal writes again once space is freed").isLessThan(deadline);
                j.record(JsonLinesJournalTest.record(-1));
                j.flush();
                Thread.sleep(100); // the journal retries once a second; poll with a deadline
            }
            JournalHealth healed = j.health();
            List<JsonNode> lines = lines(file);
            JsonNode summary = lines.stream().filter(n -> n.get("event").asText().equals("journal/lost")).findFirst()
                    .orElseThrow();
            assertThat(summary.get("outcome").asText()).isEqualTo("lost");
            assertThat(summary.get("error").asText()).contains(gaveUp.lost() + " journal record(s) lost")
                    .contains("No space left on device");
            assertThat(healed.written() + healed.lost() + healed.waiting())
                    .as("every record written, waiting or counted lost").isEqualTo(100 + big + countRetries(lines));
        }
    }

    private static long countRetries(List<JsonNode> lines) {
        return lines.stream().filter(n -> n.get("actions").size() == 1 && n.get("actions").get(0).asText().equals("did -1"))
                .count();
    }

    private static List<JsonNode> lines(Path file) throws IOException {
        return JsonLinesJournalTest.lines(file);
    }

    /** Fills the file system to the last byte. */
    private static void fill(Path filler) throws IOException {
        byte[] chunk = new byte[4096];
        try (var out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(chunk);
            }
        } catch (IOException e) {
            if (!String.valueOf(e.getMessage()).contains("No space left")) {
                throw e;
            }
        }
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as("%s: %s (this test mounts a tmpfs and so runs as root)", String.join(" ", command),
                out).isZero();
    }
}
