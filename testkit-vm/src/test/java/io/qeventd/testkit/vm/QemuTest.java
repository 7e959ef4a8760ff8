package io.qeventd.testkit.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Real QEMU without a guest (-S): fast checks of the launcher itself. */
class QemuTest {
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @Test
    void startReturnsWhenEveryQmpSocketAnswers() throws IOException {
        try (Qemu qemu = Qemu.builder().paused().qmpSocket("daemon").qmpSocket("test").nic("net0").start();
             QemuRawQmp daemon = QemuRawQmp.connect(qemu.qmpSocket("daemon"), DEADLINE);
             QemuRawQmp test = QemuRawQmp.connect(qemu.qmpSocket("test"), DEADLINE)) {

            assertThat(daemon.execute("query-status").path("return").path("status").asText()).isEqualTo("prelaunch");
            JsonNode rxFilter = test.executeJson("{\"execute\":\"query-rx-filter\",\"arguments\":{\"name\":\"net0\"}}");
            assertThat(rxFilter.path("return").path(0).path("name").asText()).isEqualTo("net0");
        }
    }

    @Test
    void eventsReachEveryMonitor() throws IOException {
        try (Qemu qemu = Qemu.builder().paused().qmpSocket("a").qmpSocket("b").start();
             QemuRawQmp a = QemuRawQmp.connect(qemu.qmpSocket("a"), DEADLINE);
             QemuRawQmp b = QemuRawQmp.connect(qemu.qmpSocket("b"), DEADLINE)) {

            a.execute("cont");

            assertThat(a.awaitEvent("RESUME")).isNotNull();
            assertThat(b.awaitEvent("RESUME")).isNotNull();
        }
    }

    @Test
    void pauseStopsQemuAndResumeContinuesIt() throws IOException {
        try (Qemu qemu = Qemu.builder().paused().qmpSocket("test").start();
             QemuLineSocket monitor = QemuLineSocket.connect(qemu.qmpSocket("test"))) {
            assertThat(monitor.readLine(Instant.now().plus(DEADLINE))).hasValueSatisfying(l -> assertThat(l).contains("QMP"));

            qemu.pause();
            awaitProcessState(qemu.pid(), 'T');
            monitor.send("{\"execute\":\"qmp_capabilities\"}");
            assertThat(monitor.readLine(Instant.now().plusMillis(300))).as("answer from a stopped QEMU").isEmpty();

            qemu.resume();
            assertThat(monitor.readLine(Instant.now().plus(DEADLINE))).hasValue("{\"return\": {}}");
        }
    }

    @Test
    void killEndsQemuAndCloseRemovesItsFiles() throws IOException {
        Qemu qemu = Qemu.builder().paused().qmpSocket("test").start();
        Path socket = qemu.qmpSocket("test");
        try (QemuLineSocket monitor = QemuLineSocket.connect(socket)) {
            assertThat(monitor.readLine(Instant.now().plus(DEADLINE))).isPresent();

            qemu.kill();

            assertThat(qemu.isAlive()).isFalse();
            assertThatThrownBy(() -> monitor.readLine(Instant.now().plus(DEADLINE)))
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("closed");
        } finally {
            qemu.close();
        }
        assertThat(socket).doesNotExist();
        assertThat(qemu.runDirectory()).doesNotExist();
    }

    @Test
    void missingQemuFailsSayingHowToInstallIt() {
        QemuBuilder builder = Qemu.builder().binary("qemu-system-missing").qmpSocket("test");
        Path runDirectory = builder.runDirectory();

        assertThatThrownBy(builder::start)
                .isInstanceOf(QemuStartException.class)
                .hasMessageContaining("qemu-system-missing is not installed")
                .hasMessageContaining(".ci/run");
        assertThat(runDirectory).doesNotExist();
    }

    @Test
    void qemuThatExitsDuringStartFailsQuotingItsOutputAndLeavesNothing() {
        QemuBuilder builder = Qemu.builder().paused().qmpSocket("test").args("-no-such-option");
        Path runDirectory = builder.runDirectory();

        assertThatThrownBy(builder::start)
                .isInstanceOf(QemuStartException.class)
                .hasMessageContaining("QEMU exited with status 1")
                .hasMessageContaining("-no-such-option")
                .hasMessageContaining("invalid option");
        assertThat(runDirectory).doesNotExist();
    }

    @Test
    void nicOnAMacvtapRunsInsideTheTestNamespace() throws IOException {
        try (NetnsFixture netns = NetnsFixture.create();
             Qemu qemu = Qemu.builder().paused().netns(netns.name()).qmpSocket("test")
                     .nic(QemuNic.tap("net0", netns.tapDevice()).withMac(netns.macvtapMac())).start();
             QemuRawQmp qmp = QemuRawQmp.connect(qemu.qmpSocket("test"), DEADLINE)) {

            assertThat(Files.readString(Path.of("/proc/" + qemu.pid() + "/comm")).strip()).isEqualTo("qemu-system-x86");
            assertThat(netns.inside("ip", "netns", "identify", Long.toString(qemu.pid())).strip()).isEqualTo(netns.name());
            JsonNode rxFilter = qmp.executeJson("{\"execute\":\"query-rx-filter\",\"arguments\":{\"name\":\"net0\"}}");
            assertThat(rxFilter.path("return").path(0).path("main-mac").asText()).isEqualTo(netns.macvtapMac());
            JsonNode netdevs = qmp.executeJson("{\"execute\":\"human-monitor-command\",\"arguments\":{\"command-line\":\"info network\"}}");
            assertThat(netdevs.path("return").asText()).contains("net0-backend").contains("fd=3");
        }
    }

    /** Polls /proc/PID/stat until the process is in {@code state} (e.g. T: stopped). */
    private static void awaitProcessState(long pid, char state) throws IOException {
        Instant deadline = Instant.now().plus(DEADLINE);
        while (true) {
            Optional<Character> current = processState(pid);
            if (current.isPresent() && current.get() == state) {
                return;
            }
            assertThat(Instant.now()).as("process %d still in state %s", pid, current).isBefore(deadline);
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private static Optional<Character> processState(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        int afterName = stat.lastIndexOf(')');
        return afterName < 0 ? Optional.empty() : Optional.of(stat.charAt(afterName + 2));
    }
}
