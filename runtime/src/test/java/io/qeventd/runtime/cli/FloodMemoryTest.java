package io.qeventd.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.qeventd.testkit.qmp.FakeQmpServer;
import io.qeventd.testkit.qmp.QmpLines;
import io.qeventd.runtime.testing.DaemonFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A monitor flooding half a million events into a daemon whose heap is capped at 64 MiB, started as the launcher
 * starts it (an OutOfMemoryError ends the process): memory stays bounded (the process lives), and another
 * domain's events still reach the journal.
 */
class FloodMemoryTest {
    private static final Duration START = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void aFloodingMonitorCostsOnlyItsOwnDomainNeverTheHeap() throws Exception {
        Path vm1 = dir.resolve("vm1.qmp");
        Path vm2 = dir.resolve("vm2.qmp");
        DaemonFixture fixture = DaemonFixture.in(dir).domain("vm1", vm1).domain("vm2", vm2);
        Path config = fixture.writeConfig();
        try (FakeQmpServer flooding = FakeQmpServer.start(vm1);
             FakeQmpServer quiet = FakeQmpServer.start(vm2);
             QeventdProcess qeventd = QeventdProcess.startWithJvmOptions(dir,
                     List.of("-Xmx64m", "-XX:+ExitOnOutOfMemoryError"), "run", "--config", config.toString())) {
            flooding.awaitClient(START);
            quiet.awaitClient(START);
            // Unbounded, the journal's queue alone would need about 150 MB for these.
            flooding.flood(500_000, i -> QmpLines.event("FLOOD", Map.of("n", i, "pad", "x".repeat(40)), 1, i))
                    .get(120, TimeUnit.SECONDS);
            quiet.emit("STILL_HEARD", null);
            long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!(Files.exists(fixture.journal) && Files.readString(fixture.journal).contains("STILL_HEARD"))) {
                assertThat(qeventd.isAlive()).as("qeventd alive under the flood:\n%s", qeventd.err()).isTrue();
                assertThat(System.nanoTime()).as("vm2's event reaches the journal").isLessThan(end);
                TimeUnit.MILLISECONDS.sleep(100); // polling a file another process writes
            }
            qeventd.terminate();
            assertThat(qeventd.awaitExit(START)).as(qeventd.err()).isEqualTo(Main.OK);
            assertThat(qeventd.err()).doesNotContain("OutOfMemoryError").contains("outcome(s) counted");
        }
    }
}
