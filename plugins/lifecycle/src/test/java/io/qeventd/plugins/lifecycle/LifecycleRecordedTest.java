package io.qeventd.plugins.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.qeventd.runtime.journal.Outcome;
import io.qeventd.testkit.qmp.FakeQmpServer;
import io.qeventd.testkit.qmp.Reply;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * QMP lines as QEMU 7.2 sends them, from the fake QMP server: a suspend to disk (the test guest has no swap to
 * hibernate to), a panic QEMU answers with a power-off, and suspend/wakeup once more without a guest.
 */
class LifecycleRecordedTest {
    @TempDir
    Path tmp;

    private FakeQmpServer qemu;
    private LifecyclePipeline daemon;

    @BeforeEach
    void start() throws Exception {
        qemu = FakeQmpServer.start(tmp.resolve("vm1.qmp"));
        qemu.respond("query-status", a -> Reply.ok(Map.of("status", "running", "singlestep", false, "running", true)));
        daemon = new LifecyclePipeline(Map.of());
        daemon.attach(qemu.socket());
        qemu.awaitClient(LifecyclePipeline.DEADLINE);
        daemon.awaitRunState("running after connect", s -> s.state().equals("running"));
    }

    @AfterEach
    void stop() {
        daemon.close();
        qemu.close();
    }

    @Test
    void suspendToRamThenWakeupAreFollowed() throws Exception {
        qemu.emit("SUSPEND", Map.of());
        assertThat(daemon.processed("SUSPEND").actions()).containsExactly("run state suspended (memory)");
        qemu.emit("WAKEUP", Map.of());
        assertThat(daemon.processed("WAKEUP").actions()).containsExactly("run state running (wakeup)");
    }

    @Test
    void suspendToDiskIsFollowedByTheGuestsShutdown() throws Exception {
        qemu.emit("SUSPEND_DISK", Map.of());
        assertThat(daemon.processed("SUSPEND_DISK").actions()).containsExactly("run state suspended (disk)");
        qemu.emit("SHUTDOWN", Map.of("guest", true, "reason", "guest-shutdown"));
        assertThat(daemon.processed("SHUTDOWN").actions()).containsExactly("run state shutdown (guest-shutdown)");
    }

    @Test
    void aPanicWhoseActionIsPoweroffLeavesThePolicyOut() throws Exception {
        qemu.emit("GUEST_PANICKED", Map.of("action", "poweroff"));
        assertThat(daemon.processed("GUEST_PANICKED").actions()).containsExactly(
                "run state guest-panicked (action poweroff)", "QEMU's panic action is poweroff: no on-crash policy applies");
    }

    /**
     * A burst of STOP and RESUME larger than the queue, while a STOP waits for its query-status: STOPs still
     * queued collapse into the newest (coalesced: each would only ask QEMU again), every RESUME is processed,
     * nothing overflows, and the run state ends as QEMU says.
     */
    @Test
    void aBurstOfStopsAndResumesCollapsesInsteadOfOverflowing() throws Exception {
        CountDownLatch answer = new CountDownLatch(1);
        qemu.respond("query-status", a -> {
            try {
                answer.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Reply.ok(Map.of("status", "paused", "singlestep", false, "running", false));
        });
        qemu.emit("STOP", null);
        qemu.awaitCommand("query-status", LifecyclePipeline.DEADLINE);
        for (int i = 0; i < 1500; i++) { // the queue holds 1000: 750 RESUMEs and the STOPs left after coalescing
            qemu.emit(i % 2 == 0 ? "RESUME" : "STOP", null);
        }
        daemon.pipeline.journal().await(r -> "lifecycle".equals(r.plugin()) && r.outcome() == Outcome.COALESCED,
                740, LifecyclePipeline.DEADLINE);
        answer.countDown();

        daemon.awaitRunState("paused, as QEMU says after the last STOP", s -> s.state().equals("paused")
                && s.event().equals("STOP"));
        var records = daemon.pipeline.journal().await(r -> "lifecycle".equals(r.plugin())
                && (r.event().equals("STOP") || r.event().equals("RESUME")) && r.outcome() != Outcome.SLOW, 1501,
                LifecyclePipeline.DEADLINE);
        assertThat(records).noneMatch(r -> r.outcome() == Outcome.OVERFLOW || r.outcome() == Outcome.FAILED);
        assertThat(records).filteredOn(r -> r.event().equals("RESUME")).hasSize(750)
                .allMatch(r -> r.outcome() == Outcome.PROCESSED);
        assertThat(records).filteredOn(r -> r.event().equals("STOP") && r.outcome() == Outcome.PROCESSED)
                .hasSizeLessThan(10);
    }
}
