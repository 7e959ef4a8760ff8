package com.example.qeventd.stopreason;

import static org.assertj.core.api.Assertions.assertThat;

import io.qeventd.testkit.FakeMonitor;
import io.qeventd.testkit.FakeProcessContext;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The processor alone, against a fake monitor answering as QEMU 7.2 does. */
class StopReasonTest {

    @Test
    void aPausedVmIsReportedAsPausedWithoutAskingForDisks() {
        FakeMonitor monitor = new FakeMonitor().answer("query-status",
                Map.of("status", "paused", "singlestep", false, "running", false));
        FakeProcessContext ctx = FakeProcessContext.builder("vm1").monitor(monitor).build();

        StopReason.explain(ctx);

        assertThat(ctx.reports()).containsExactly("stopped: paused");
        assertThat(monitor.sent()).extracting(FakeMonitor.SentCommand::command).containsExactly("query-status");
    }

    @Test
    void anIoErrorNamesTheDisksThatReportOne() {
        FakeMonitor monitor = new FakeMonitor()
                .answer("query-status", Map.of("status", "io-error", "singlestep", false, "running", false))
                .answer("query-block", List.of(
                        Map.of("device", "", "qdev", "/machine/peripheral/disk0/virtio-backend", "io-status", "nospace",
                                "locked", false, "removable", false),
                        Map.of("device", "cd0", "io-status", "ok", "locked", false, "removable", true)));
        FakeProcessContext ctx = FakeProcessContext.builder("vm1").monitor(monitor).build();

        StopReason.explain(ctx);

        assertThat(ctx.reports()).containsExactly("stopped: io-error",
                "I/O error on /machine/peripheral/disk0/virtio-backend nospace");
    }

    @Test
    void aVmRunningAgainByTheTimeTheWorkerAsksSaysSo() {
        FakeMonitor monitor = new FakeMonitor().answer("query-status",
                Map.of("status", "running", "singlestep", false, "running", true));
        FakeProcessContext ctx = FakeProcessContext.builder("vm1").monitor(monitor).build();

        StopReason.explain(ctx);

        assertThat(ctx.reports()).containsExactly("stopped, but running again (running)");
    }
}
