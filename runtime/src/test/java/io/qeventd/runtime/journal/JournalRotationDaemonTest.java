package io.qeventd.runtime.journal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.qeventd.runtime.daemon.Daemon;
import io.qeventd.runtime.testing.DaemonFixture;
import io.qeventd.testkit.qmp.FakeQmpServer;
import io.qeventd.testkit.qmp.QmpLines;
import io.qeventd.testkit.vm.Eventually;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** journalRotate in a running daemon under a flood: every event's record is in exactly one of the files. */
class JournalRotationDaemonTest {
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final int FLOOD = 20_000;
    private static final int KEEP = 1000;

    @TempDir
    Path dir;

    @Test
    void aFloodRotatedManyTimesHasEveryEventOnceAcrossTheFiles() throws Exception {
        Path vm1 = dir.resolve("vm1.qmp");
        try (FakeQmpServer qemu = FakeQmpServer.start(vm1);
             DaemonFixture fixture = DaemonFixture.in(dir).domain("vm1", vm1)
                     .yaml("journalRotate:\n  maxSize: 64KiB\n  keep: " + KEEP + "\n  gzip: true")) {
            Daemon daemon = fixture.start();
            qemu.awaitClient(DEADLINE);
            fixture.awaitConnected("vm1", DEADLINE);

            qemu.flood(FLOOD, i -> QmpLines.event("SEQ", Map.of("n", i), 1, i)).get();
            Eventually.await("every event journaled", DEADLINE,
                    () -> daemon.journal().counts().get(Outcome.UNHANDLED), n -> n == FLOOD);
            assertThat(daemon.journal().flush(DEADLINE)).isTrue();
            assertThat(daemon.journal().lost()).isZero();
            daemon.stop(Duration.ofSeconds(10)); // closes the file: the last compression is waited for

            Map<Long, Integer> seen = new HashMap<>();
            for (JsonNode line : JournalRotationTest.allLines(fixture.journal, KEEP)) {
                if (line.path("event").asText().equals("SEQ")) {
                    seen.merge(line.path("seq").asLong(), 1, Integer::sum);
                }
            }
            assertThat(seen).hasSize(FLOOD);
            assertThat(seen.values()).allMatch(n -> n == 1);
            try (Stream<Path> files = Files.list(fixture.journal.getParent())) {
                assertThat(files.map(p -> p.getFileName().toString())
                        .filter(n -> n.startsWith(fixture.journal.getFileName() + ".")))
                        .as("rotated, compressed files").hasSizeGreaterThan(10).allMatch(n -> n.endsWith(".gz"));
            }
        }
    }
}
