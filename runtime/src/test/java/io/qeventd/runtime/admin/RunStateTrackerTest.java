package io.qeventd.runtime.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.qeventd.api.QemuTimestamp;
import io.qeventd.runtime.journal.JournalRecord;
import io.qeventd.runtime.journal.Outcome;
import io.qeventd.runtime.testing.Pipeline;
import io.qeventd.testkit.qmp.FakeQmpServer;
import io.qeventd.testkit.qmp.Reply;
import io.qeventd.testkit.vm.Eventually;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunStateTrackerTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    @Test
    void stateComesFromQueryStatusOnConnectThenFromEvents() throws Exception {
        Path socket = dir.resolve("vm1.qmp");
        try (FakeQmpServer qemu = FakeQmpServer.builder().startPaused().start(socket);
             Pipeline pipeline = new Pipeline(Pipeline.options(2, 64));
             RunStateTracker tracker = new RunStateTracker(pipeline.domains, WAIT)) {
            pipeline.journal.addSink(tracker);
            tracker.start();
            pipeline.attach("vm1", socket);

            RunState first = awaitState(tracker, "paused");
            assertThat(first.source()).isEqualTo("query-status");

            // No handler takes these: the pipeline journals them unhandled, which is enough for the tracker.
            qemu.emit("RESUME", null);
            assertThat(awaitState(tracker, "running").source()).isEqualTo("RESUME");
            qemu.emit("STOP", null);
            awaitState(tracker, "paused");
            qemu.emit("SHUTDOWN", Map.of("guest", true, "reason", "guest-shutdown"));
            assertThat(awaitState(tracker, "shutdown").source()).isEqualTo("SHUTDOWN");
        }
    }

    @Test
    void aReconnectedMonitorIsAskedAgain() throws Exception {
        Path socket = dir.resolve("vm1.qmp");
        try (FakeQmpServer qemu = FakeQmpServer.start(socket);
             Pipeline pipeline = new Pipeline(Pipeline.options(2, 64));
             RunStateTracker tracker = new RunStateTracker(pipeline.domains, WAIT)) {
            pipeline.journal.addSink(tracker);
            tracker.start();
            pipeline.attach("vm1", socket, io.qeventd.runtime.monitor.MonitorOptions.defaults()
                    .withReconnectDelays(Duration.ofMillis(20), Duration.ofMillis(100)));
            awaitState(tracker, "running");

            // While the monitor was away the VM was paused by someone else: no event reached us.
            qemu.respond("query-status", args -> Reply.ok(Map.of("status", "paused", "singlestep", false,
                    "running", false)));
            qemu.disconnect();
            RunState again = awaitState(tracker, "paused");
            assertThat(again.source()).isEqualTo("query-status");
            assertThat(qemu.clientCount()).isEqualTo(2);
        }
    }

    @Test
    void anOlderEventArrivingLateDoesNotOverrideANewerState() {
        RunStateTracker tracker = new RunStateTracker(null, WAIT);
        Instant t = Instant.parse("2026-11-25T10:00:00Z");
        tracker.record(record("vm1", "STOP", t.plusSeconds(2)));
        tracker.record(record("vm1", "RESUME", t.plusSeconds(1)));
        assertThat(tracker.runState("vm1")).map(RunState::state).contains("paused");
        tracker.record(record("vm1", "RESUME", t.plusSeconds(3)));
        assertThat(tracker.runState("vm1")).map(RunState::state).contains("running");
    }

    @Test
    void eventsThatDoNotChangeTheRunStateAreIgnored() {
        RunStateTracker tracker = new RunStateTracker(null, WAIT);
        Instant t = Instant.parse("2026-11-25T10:00:00Z");
        tracker.record(record("vm1", "RESET", t));
        tracker.record(record("vm1", "POWERDOWN", t));
        tracker.record(record("vm1", "resync/CONNECTED", t));
        assertThat(tracker.runState("vm1")).isEmpty();
    }

    private static JournalRecord record(String domain, String event, Instant qemuTime) {
        QemuTimestamp ts = new QemuTimestamp(qemuTime.getEpochSecond(), qemuTime.getNano() / 1000);
        return new JournalRecord(Instant.now(), domain, event, ts, null, null, null, Outcome.UNHANDLED, null, null,
                null);
    }

    private static RunState awaitState(RunStateTracker tracker, String state) {
        Optional<RunState> s = Eventually.await("run state " + state, WAIT, () -> tracker.runState("vm1"),
                r -> r.isPresent() && r.get().state().equals(state));
        return s.orElseThrow();
    }
}
