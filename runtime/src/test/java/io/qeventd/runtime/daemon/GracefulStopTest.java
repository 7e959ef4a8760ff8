package io.qeventd.runtime.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qeventd.runtime.testing.DaemonFixture;
import io.qeventd.testkit.qmp.FakeQmpServer;
import io.qeventd.testkit.vm.DaemonPlugins;
import io.qeventd.testkit.vm.Eventually;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GracefulStopTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int EVENTS = 40;

    @TempDir
    Path dir;

    @Test
    void stoppingWithEventsQueuedRunsThemAllAndFlushesTheJournal() throws Exception {
        Path vm1 = dir.resolve("vm1.qmp");
        try (FakeQmpServer qemu = FakeQmpServer.start(vm1);
             DaemonFixture fixture = DaemonFixture.in(dir).domain("vm1", vm1)) {
            DaemonPlugins.slowWork(fixture.pluginsDir);
            Daemon daemon = fixture.start();
            qemu.awaitClient(WAIT);
            for (int seq = 0; seq < EVENTS; seq++) {
                qemu.emit("WORK", Map.of("seq", seq, "sleepMs", 20));
            }
            // Every event has been read and queued; at 20 ms each most of them are still waiting.
            Eventually.await("all events read", WAIT,
                    () -> daemon.domains().get("vm1").orElseThrow().monitor().stats().events() == EVENTS);
            int queuedAtStop = daemon.queue().depth("vm1");
            assertThat(queuedAtStop).isGreaterThan(EVENTS / 2);

            boolean drained = daemon.stop(Duration.ofSeconds(30));

            assertThat(drained).isTrue();
            assertThat(actionsOfProcessedWork(fixture.journal))
                    .containsExactlyElementsOf(IntStream.range(0, EVENTS).mapToObj(i -> "work " + i).toList());
            assertThat(fixture.adminSocket).doesNotExist();
        }
    }

    @Test
    void eventsArrivingAfterTheStopAreNotTakenAndStoppingTwiceIsHarmless() throws Exception {
        Path vm1 = dir.resolve("vm1.qmp");
        try (FakeQmpServer qemu = FakeQmpServer.start(vm1);
             DaemonFixture fixture = DaemonFixture.in(dir).domain("vm1", vm1)) {
            DaemonPlugins.slowWork(fixture.pluginsDir);
            Daemon daemon = fixture.start();
            qemu.awaitClient(WAIT);
            qemu.emit("WORK", Map.of("seq", 0, "sleepMs", 1));
            Eventually.await("first event journaled", WAIT, () -> daemon.status().plugins().get(0).handled() == 1);

            assertThat(daemon.stop(Duration.ofSeconds(5))).isTrue();
            assertThat(qemu.emit("WORK", Map.of("seq", 1, "sleepMs", 1))).isFalse();
            assertThat(daemon.stop(Duration.ofSeconds(5))).isTrue();

            assertThat(actionsOfProcessedWork(fixture.journal)).containsExactly("work 0");
        }
    }

    /** The actions of the journal's processed WORK lines, in file order. */
    private static List<String> actionsOfProcessedWork(Path journal) throws Exception {
        List<String> actions = new ArrayList<>();
        for (String line : Files.readAllLines(journal)) {
            JsonNode r = JSON.readTree(line);
            if (r.get("event").asText().equals("WORK")) {
                assertThat(r.get("outcome").asText()).as(line).isEqualTo("processed");
                r.get("actions").forEach(a -> actions.add(a.asText()));
            }
        }
        return actions;
    }
}
