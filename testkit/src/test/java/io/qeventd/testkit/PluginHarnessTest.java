package io.qeventd.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.qeventd.runtime.journal.JournalRecord;
import io.qeventd.runtime.journal.Outcome;
import io.qeventd.testkit.qmp.Reply;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PluginHarnessTest {
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @RegisterExtension
    final FakeQemu qemu = new FakeQemu();

    private final PluginHarness harness = PluginHarness.start();

    @AfterEach
    void close() {
        harness.close();
    }

    @Test
    void eventsFromTheFakeQemuReachTheHandlersAndTheirCommandsReachTheFakeQemu() throws Exception {
        harness.register("run-state", "1.0.0", RunStateReport.handlers());
        qemu.server().respond("query-status", args -> Reply.ok(Map.of("status", "paused", "running", false)));
        harness.attach("vm1", qemu.socket());

        qemu.server().emit("STOP", null);

        JournalRecord r = harness.journal().awaitOne(x -> "run-state".equals(x.plugin()), DEADLINE);
        assertThat(r.outcome()).isEqualTo(Outcome.PROCESSED);
        assertThat(r.actions()).containsExactly("status paused");
        assertThat(qemu.server().awaitCommand("query-status", DEADLINE).command()).isEqualTo("query-status");
    }

    @Test
    void aRecordingReplaysIntoTheHandlersWithTheRecordedReplies() throws Exception {
        harness.register("run-state", "1.0.0", RunStateReport.handlers());
        try (Replay replay = Replay.of(Path.of("src/test/resources/stop-resume.jsonl"))) {
            replay.into(harness, "vm1");

            assertThat(replay.awaitPlayed(DEADLINE)).isEqualTo(4);
            List<JournalRecord> processed = harness.journal().await(
                    x -> "run-state".equals(x.plugin()) && x.outcome() == Outcome.PROCESSED, 3, DEADLINE);
            assertThat(processed).extracting(x -> x.event() + " " + x.actions()).containsExactly(
                    "RESUME [status running]", "STOP [status paused]", "RESUME [status running]");
        }
    }

    @Test
    void anEventWithoutHandlerIsJournaledUnhandled() throws Exception {
        harness.attach("vm1", qemu.socket());

        qemu.server().emit("POWERDOWN", null);

        assertThat(harness.journal().awaitOne(x -> x.event().equals("POWERDOWN"), DEADLINE).outcome())
                .isEqualTo(Outcome.UNHANDLED);
    }
}
