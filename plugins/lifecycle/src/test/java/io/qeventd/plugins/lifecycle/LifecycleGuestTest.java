package io.qeventd.plugins.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.qeventd.runtime.journal.JournalRecord;
import io.qeventd.testkit.vm.Eventually;
import io.qeventd.testkit.vm.Qemu;
import io.qeventd.testkit.vm.QemuRawQmp;
import io.qeventd.testkit.vm.TestGuest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The test guest drives the events only a guest can cause: its own power-off, a suspend to RAM, a panic and a
 * loaded crash kernel, reported through an ISA pvpanic device (the guest writes the pvpanic port, 0x505,
 * itself).
 */
class LifecycleGuestTest {
    /** pvpanic's port and its two bits: the guest panicked, the guest loaded its crash kernel. */
    private static final String PANICKED = "printf '\\001' | dd of=/dev/port bs=1 seek=1285 count=1";
    private static final String CRASH_LOADED = "printf '\\002' | dd of=/dev/port bs=1 seek=1285 count=1";
    private static final Duration SHELL = Duration.ofSeconds(20);

    @TempDir
    Path tmp;

    private TestGuest guest;
    private LifecyclePipeline daemon;
    private QemuRawQmp test;

    private void boot(Map<String, Object> settings, String... qemuArgs) throws Exception {
        guest = TestGuest.boot(Qemu.builder().qmpSocket("daemon").qmpSocket("test").memoryMiB(128).args(qemuArgs));
        daemon = new LifecyclePipeline(settings);
        daemon.attach(guest.qemu().qmpSocket("daemon"));
        test = QemuRawQmp.connect(guest.qemu().qmpSocket("test"), LifecyclePipeline.DEADLINE);
        daemon.awaitRunState("running after connect", s -> s.state().equals("running"));
    }

    @AfterEach
    void stop() throws Exception {
        if (test != null) {
            test.close();
        }
        if (daemon != null) {
            daemon.close();
        }
        if (guest != null) {
            guest.close();
        }
    }

    @Test
    void aGuestPowerOffIsFollowedByQuitWhenOnPoweroffSaysQuit() throws Exception {
        // -no-shutdown keeps QEMU after the guest's power-off, as libvirt starts it: the policy decides.
        boot(Map.of("onPoweroff", "quit"), "-no-shutdown");
        guest.shell().send("poweroff -f");

        JournalRecord r = daemon.processed("SHUTDOWN");
        assertThat(r.actions()).containsExactly("on poweroff: quit", "run state shutdown (guest-shutdown), domain ended");
        Eventually.await("QEMU quits", LifecyclePipeline.DEADLINE, () -> !guest.qemu().isAlive());
    }

    @Test
    void aPanicIsDumpedToTheDumpDirectoryThenTheGuestIsResetAndResumed() throws Exception {
        Path dumps = Files.createDirectory(tmp.resolve("dumps"));
        boot(Map.of("onCrash", "reset", "dumpDirectory", dumps.toString()), "-device", "pvpanic",
                "-action", "panic=pause");
        // The test guest runs with -no-reboot, which would turn system_reset into a shutdown.
        assertThat(test.executeJson("{\"execute\": \"set-action\", \"arguments\": {\"reboot\": \"reset\"}}")
                .has("return")).isTrue();
        guest.shell().send(PANICKED);

        JournalRecord panic = daemon.processed("GUEST_PANICKED");
        assertThat(panic.actions()).hasSize(2);
        assertThat(panic.actions().get(0)).isEqualTo("run state guest-panicked (action pause)");
        assertThat(panic.actions().get(1)).startsWith("on crash: dump-guest-memory to " + dumps + "/vm1-")
                .endsWith(".elf, then reset");
        JournalRecord done = daemon.processed("DUMP_COMPLETED");
        assertThat(done.actions().get(0)).startsWith("dump completed " + dumps + "/vm1-");
        assertThat(done.actions()).endsWith("on crash: system_reset, cont");
        try (Stream<Path> files = Files.list(dumps)) {
            List<Path> written = files.toList();
            assertThat(written).singleElement().satisfies(f -> assertThat(Files.size(f)).isPositive());
        }
        assertThat(daemon.reader.get(LifecyclePipeline.DOMAIN, CrashResponse.DUMP)).hasValueSatisfying(d ->
                assertThat(d.status()).isEqualTo("completed"));
        test.awaitEvent("RESET");
        test.awaitEvent("RESUME");
        daemon.awaitRunState("running again after the reset", s -> s.state().equals("running")
                && s.event().equals("RESUME"));
    }

    @Test
    void aPanicPreservedByPolicyLeavesTheGuestPanicked() throws Exception {
        boot(Map.of(), "-device", "pvpanic", "-action", "panic=pause");
        guest.shell().send(PANICKED);

        assertThat(daemon.processed("GUEST_PANICKED").actions())
                .containsExactly("run state guest-panicked (action pause)", "on crash: preserve (guest stays paused)");
        assertThat(test.execute("query-status").path("return").path("status").asText()).isEqualTo("guest-panicked");
    }

    @Test
    void aGuestSuspendToRamAndItsWakeupAreFollowed() throws Exception {
        boot(Map.of(), "-global", "ICH9-LPC.disable_s3=0");
        guest.shell().send("echo mem > /sys/power/state");

        assertThat(daemon.processed("SUSPEND").actions()).containsExactly("run state suspended (memory)");
        assertThat(test.execute("query-status").path("return").path("status").asText()).isEqualTo("suspended");
        test.execute("system_wakeup");
        assertThat(daemon.processed("WAKEUP").actions()).containsExactly("run state running (wakeup)");
        assertThat(test.execute("query-status").path("return").path("status").asText()).isEqualTo("running");
    }

    @Test
    void aLoadedCrashKernelIsRecordedAndTheGuestRunsOn() throws Exception {
        boot(Map.of(), "-device", "pvpanic");
        guest.shell().run(CRASH_LOADED, SHELL).requireSuccess();

        assertThat(daemon.processed("GUEST_CRASHLOADED").actions())
                .containsExactly("run state running (crash kernel loaded)");
        guest.shell().run("true", SHELL).requireSuccess();
    }
}
