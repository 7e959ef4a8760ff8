package ${package};

import static org.assertj.core.api.Assertions.assertThat;

import io.qeventd.runtime.journal.JournalRecord;
import io.qeventd.runtime.journal.Outcome;
import io.qeventd.testkit.qmp.Reply;
import io.qeventd.testkit.FakeMonitor;
import io.qeventd.testkit.FakeProcessContext;
import io.qeventd.testkit.FakeQemu;
import io.qeventd.testkit.PluginHarness;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Unit tests: the processor alone with a fake context, then the handlers in the daemon's pipeline. */
class RunStateHandlersTest {
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @RegisterExtension
    final FakeQemu qemu = new FakeQemu();

    @Test
    void reportsTheRunStateQemuGives() {
        FakeMonitor monitor = new FakeMonitor().answer("query-status", Map.of("status", "paused", "running", false));
        FakeProcessContext ctx = FakeProcessContext.builder("vm1").monitor(monitor).build();

        RunStateHandlers.report(ctx);

        assertThat(ctx.reports()).containsExactly("status paused");
    }

    @Test
    void aStopFromQemuIsProcessedWithTheStatusInTheJournal() throws Exception {
        try (PluginHarness harness = PluginHarness.start()) {
            harness.register("${pluginId}", "1.0.0", new RunStateHandlers().handlers());
            qemu.server().respond("query-status", args -> Reply.ok(Map.of("status", "paused", "running", false)));
            harness.attach("vm1", qemu.socket());

            qemu.server().emit("STOP", null);

            JournalRecord r = harness.journal().awaitOne(x -> "${pluginId}".equals(x.plugin()), DEADLINE);
            assertThat(r.outcome()).isEqualTo(Outcome.PROCESSED);
            assertThat(r.actions()).containsExactly("status paused");
        }
    }
}
