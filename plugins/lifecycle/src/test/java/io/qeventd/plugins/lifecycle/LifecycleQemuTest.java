package io.qeventd.plugins.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.qeventd.runtime.journal.JournalRecord;
import io.qeventd.testkit.vm.Eventually;
import io.qeventd.testkit.vm.Qemu;
import io.qeventd.testkit.vm.QemuRawQmp;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A real QEMU without a guest: what a management layer and QEMU itself do to a domain's run state. */
class LifecycleQemuTest {
    private Qemu qemu;
    private LifecyclePipeline daemon;
    private QemuRawQmp test;

    @BeforeEach
    void start() throws Exception {
        qemu = Qemu.builder().paused().qmpSocket("daemon").qmpSocket("test").start();
        daemon = new LifecyclePipeline(Map.of());
        daemon.attach(qemu.qmpSocket("daemon"));
        test = QemuRawQmp.connect(qemu.qmpSocket("test"), LifecyclePipeline.DEADLINE);
    }

    @AfterEach
    void stop() throws Exception {
        test.close();
        daemon.close();
        qemu.close();
    }

    @Test
    void runStateStartsFromQueryStatusAndFollowsResumeStopResetAndPowerdown() throws Exception {
        assertThat(daemon.awaitRunState("the state QEMU reports on connect", s -> s.event().equals("query-status")))
                .isEqualTo(new RunState("prelaunch", null, "query-status", false));

        test.execute("cont");
        daemon.awaitRunState("running", s -> s.state().equals("running"));
        test.execute("stop");
        assertThat(daemon.awaitRunState("paused", s -> s.event().equals("STOP")).state()).isEqualTo("paused");
        assertThat(daemon.processed("STOP").actions()).containsExactly("run state paused");

        test.execute("system_reset");
        assertThat(daemon.processed("RESET").actions()).containsExactly("run state paused (host-qmp-system-reset)");
        // The runtime resyncs handlers after a reset: QEMU then says a reset paused guest waits in prelaunch.
        daemon.awaitRunState("prelaunch after the reset", s -> s.state().equals("prelaunch"));
        test.execute("system_powerdown");
        assertThat(daemon.awaitRunState("power button noted", s -> s.event().equals("POWERDOWN")).reason())
                .isEqualTo("power button");
    }

    @Test
    void shutdownSentAsQemuQuitsIsProcessedAndRecordsTheEndWithItsReason() throws Exception {
        daemon.awaitRunState("connected", s -> true);
        test.executeJson("{\"execute\": \"quit\"}");
        Eventually.await("QEMU exits", LifecyclePipeline.DEADLINE, () -> !qemu.isAlive());

        JournalRecord r = daemon.processed("SHUTDOWN");
        assertThat(r.type()).isEqualTo("SHUTDOWN");
        assertThat(r.actions()).containsExactly("run state shutdown (host-qmp-quit), domain ended");
        assertThat(daemon.reader.get(LifecyclePipeline.DOMAIN, RunState.KEY))
                .contains(new RunState("shutdown", "host-qmp-quit", "SHUTDOWN", true));
    }
}
