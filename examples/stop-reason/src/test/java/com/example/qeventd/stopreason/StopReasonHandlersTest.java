package com.example.qeventd.stopreason;

import static org.assertj.core.api.Assertions.assertThat;

import io.qeventd.runtime.journal.JournalRecord;
import io.qeventd.runtime.journal.Outcome;
import io.qeventd.testkit.qmp.Reply;
import io.qeventd.testkit.FakeQemu;
import io.qeventd.testkit.PluginHarness;
import io.qeventd.testkit.Replay;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The handler in the daemon's pipeline, fed by the test kit's fake QEMU and by a recording of a real one. */
class StopReasonHandlersTest {
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final String PLUGIN = "stop-reason";

    @RegisterExtension
    final FakeQemu qemu = new FakeQemu();

    private final PluginHarness harness = PluginHarness.start();

    @AfterEach
    void close() {
        harness.close();
    }

    @Test
    void aStopIsExplainedWithWhatQemuAnswers() throws Exception {
        harness.register(PLUGIN, "1.0.0", new StopReasonHandlers().handlers());
        qemu.server().respond("query-status", args -> Reply.ok(Map.of("status", "shutdown", "singlestep", false,
                "running", false)));
        harness.attach("vm1", qemu.socket());

        qemu.server().emit("STOP", null);

        JournalRecord r = harness.journal().awaitOne(x -> PLUGIN.equals(x.plugin()), DEADLINE);
        assertThat(r.outcome()).isEqualTo(Outcome.PROCESSED);
        assertThat(r.type()).isEqualTo("STOPPED");
        assertThat(r.actions()).containsExactly("stopped: shutdown");
    }

    @Test
    void aQemuThatCannotAnswerFailsTheEventWithItsError() throws Exception {
        harness.register(PLUGIN, "1.0.0", new StopReasonHandlers().handlers());
        qemu.server().respond("query-status", args -> Reply.error("GenericError", "monitor busy"));
        harness.attach("vm1", qemu.socket());

        qemu.server().emit("STOP", null);

        JournalRecord r = harness.journal().awaitOne(x -> PLUGIN.equals(x.plugin()), DEADLINE);
        assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(r.error()).contains("monitor busy");
    }

    @Test
    void aRecordingOfARealQemuIsExplainedFromItsRecordedReplies() throws Exception {
        harness.register(PLUGIN, "1.0.0", new StopReasonHandlers().handlers());
        try (Replay replay = Replay.of(Path.of("src/test/resources/stop-resume.jsonl"))) {
            replay.into(harness, "vm1");
            replay.awaitPlayed(DEADLINE);

            List<JournalRecord> ours = harness.journal().await(x -> PLUGIN.equals(x.plugin()), 1, DEADLINE);
            assertThat(ours).extracting(JournalRecord::event, JournalRecord::actions)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("STOP", List.of("stopped: paused")));
        }
    }
}
