package io.qeventd.plugins.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.qeventd.testkit.qmp.FakeQmpServer;
import io.qeventd.testkit.qmp.Reply;
import java.nio.file.Path;
import java.util.Map;
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
}
