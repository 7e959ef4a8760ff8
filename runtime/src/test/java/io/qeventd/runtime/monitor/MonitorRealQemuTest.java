package io.qeventd.runtime.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import io.qeventd.api.CommandTimeoutException;
import io.qeventd.api.MonitorClosedException;
import io.qeventd.api.QmpErrorException;
import io.qeventd.runtime.qmp.QmpMessage;
import io.qeventd.testkit.vm.Qemu;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The QMP client against the real thing: qemu-system-x86_64 under TCG, no guest. */
class MonitorRealQemuTest {
    @TempDir
    Path dir;

    private static Qemu qemu() {
        return Qemu.builder().paused().qmpSocket("daemon").qmpSocket("test").nic("net0").start();
    }

    @Test
    void negotiatesAndRunsCommandsAndReadsLargeReplies() throws Exception {
        try (Qemu qemu = qemu(); MonitorHarness h = new MonitorHarness(dir, 1)) {
            RecordingListener events = new RecordingListener();
            MonitorConnection m = h.open(qemu.qmpSocket("daemon"), MonitorHarness.options(), events);
            QmpMessage.Greeting g = m.firstConnect().get(15, TimeUnit.SECONDS);
            assertThat(g.qemuVersion()).startsWith("7.");
            assertThat(g.capabilities()).contains("oob");
            assertThat(events.awaitConnected(1)).hasSize(1);

            JsonNode status = MonitorHarness.value(m.send("query-status", null, null));
            assertThat(status.path("status").asText()).isEqualTo("prelaunch");
            assertThat(status.path("running").asBoolean()).isFalse();

            JsonNode rx = MonitorHarness.value(m.send("query-rx-filter", Map.of("name", "net0"), null));
            assertThat(rx).hasSize(1);
            assertThat(rx.get(0).path("name").asText()).isEqualTo("net0");
            assertThat(rx.get(0).path("main-mac").asText()).matches("([0-9a-f]{2}:){5}[0-9a-f]{2}");

            JsonNode schema = MonitorHarness.value(m.send("query-qmp-schema", null, null));
            assertThat(schema.size()).isGreaterThan(1000);
            List<String> eventNames = new ArrayList<>();
            schema.forEach(e -> {
                if ("event".equals(e.path("meta-type").asText())) {
                    eventNames.add(e.path("name").asText());
                }
            });
            assertThat(eventNames).contains("NIC_RX_FILTER_CHANGED", "STOP", "RESUME", "RESET");

            Throwable err = catchThrowable(() -> m.send("no-such-command", null, null).get(15, TimeUnit.SECONDS));
            assertThat(err).isInstanceOf(ExecutionException.class).cause().isInstanceOf(QmpErrorException.class);
            assertThat(((QmpErrorException) err.getCause()).errorClass()).isEqualTo("CommandNotFound");
        }
    }

    @Test
    void stopContAndResetProduceTimestampedEventsInOrder() throws Exception {
        try (Qemu qemu = qemu(); MonitorHarness h = new MonitorHarness(dir, 1)) {
            RecordingListener events = new RecordingListener();
            MonitorConnection m = h.open(qemu.qmpSocket("daemon"), MonitorHarness.options(), events);
            m.firstConnect().get(15, TimeUnit.SECONDS);
            Instant before = Instant.now().minusSeconds(1);
            for (String c : List.of("cont", "stop", "cont", "system_reset")) {
                MonitorHarness.value(m.send(c, null, null));
            }
            List<RecordingListener.Received> got = events.awaitEvents(4);
            List<String> names = got.stream().map(r -> r.event().name()).toList();
            assertThat(names.subList(0, 4)).containsExactly("RESUME", "STOP", "RESUME", "RESET");
            for (RecordingListener.Received r : got) {
                assertThat(r.event().timestamp().isKnown()).isTrue();
                assertThat(r.event().timestamp().toInstant()).isAfter(before);
            }
            assertThat(got.get(3).event().dataAsString()).contains("host-qmp-system-reset");
        }
    }

    @Test
    void manyCommandsInFlightFromSeveralThreadsEachGetTheirOwnReply() throws Exception {
        try (Qemu qemu = qemu(); MonitorHarness h = new MonitorHarness(dir, 1)) {
            MonitorConnection m = h.open(qemu.qmpSocket("daemon"), MonitorHarness.options(), new RecordingListener());
            m.firstConnect().get(15, TimeUnit.SECONDS);
            ExecutorService pool = Executors.newFixedThreadPool(6);
            try {
                List<Future<?>> results = new ArrayList<>();
                for (int t = 0; t < 6; t++) {
                    results.add(pool.submit(() -> {
                        List<CompletableFuture<QmpMessage.Return>> mine = new ArrayList<>();
                        for (int i = 0; i < 100; i++) {
                            // Alternate commands whose replies differ in shape, so a mix-up would show.
                            mine.add(i % 2 == 0 ? m.send("query-status", null, null)
                                    : m.send("query-name", null, null));
                        }
                        for (int i = 0; i < mine.size(); i++) {
                            JsonNode v = MonitorHarness.value(mine.get(i));
                            assertThat(v.has("status")).isEqualTo(i % 2 == 0);
                        }
                        return null;
                    }));
                }
                for (Future<?> f : results) {
                    f.get(60, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(m.pendingCommands()).isZero();
        }
    }

    @Test
    void qemuKilledMidCommandFailsPendingCommandsAtOnce() throws Exception {
        try (Qemu qemu = qemu(); MonitorHarness h = new MonitorHarness(dir, 1)) {
            RecordingListener events = new RecordingListener();
            MonitorConnection m = h.open(qemu.qmpSocket("daemon"),
                    MonitorHarness.options().withCommandTimeout(Duration.ofMinutes(5)), events);
            m.firstConnect().get(15, TimeUnit.SECONDS);
            qemu.pause(); // QEMU cannot answer: the commands stay pending
            List<CompletableFuture<QmpMessage.Return>> pending = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                pending.add(m.send("query-status", null, null));
            }
            assertThat(m.pendingCommands()).isEqualTo(10);
            long start = System.nanoTime();
            qemu.kill();
            for (CompletableFuture<QmpMessage.Return> f : pending) {
                Throwable t = catchThrowable(() -> f.get(10, TimeUnit.SECONDS));
                assertThat(t).isInstanceOf(ExecutionException.class).cause().isInstanceOf(MonitorClosedException.class);
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMinutes(1));
            assertThat(events.awaitDisconnected(1)).hasSize(1);
            assertThat(m.state()).isEqualTo(MonitorState.CLOSED);
        }
    }

    @Test
    void aStoppedQemuTimesCommandsOutAndAnswersAgainWhenContinued() throws Exception {
        try (Qemu qemu = qemu(); MonitorHarness h = new MonitorHarness(dir, 1)) {
            MonitorConnection m = h.open(qemu.qmpSocket("daemon"), MonitorHarness.options(), new RecordingListener());
            m.firstConnect().get(15, TimeUnit.SECONDS);
            qemu.pause();
            Throwable t = catchThrowable(() -> m.send("query-status", null, Duration.ofMillis(300))
                    .get(15, TimeUnit.SECONDS));
            assertThat(t.getCause()).isInstanceOf(CommandTimeoutException.class).hasMessageContaining("300 ms");
            qemu.resume();
            assertThat(MonitorHarness.value(m.send("query-status", null, null)).has("status")).isTrue();
            assertThat(m.stats().lateReplies()).isEqualTo(1);
        }
    }

    @Test
    void aStoppedQemuFailsTheConnectAfterTheConnectTimeout() throws Exception {
        try (Qemu qemu = qemu(); MonitorHarness h = new MonitorHarness(dir, 1)) {
            qemu.pause();
            MonitorConnection m = h.open(qemu.qmpSocket("daemon"),
                    MonitorHarness.options().withConnectTimeout(Duration.ofMillis(500)), new RecordingListener());
            Throwable t = catchThrowable(() -> m.firstConnect().get(15, TimeUnit.SECONDS));
            // Stopped before or just after it greeted: either way the connect fails at the timeout, naming the step.
            assertThat(t.getCause()).isInstanceOf(MonitorConnectException.class);
            assertThat(t.getCause().getMessage()).containsAnyOf("no QMP greeting within 500 ms",
                    "no QMP answer to qmp_capabilities within 500 ms");
            qemu.resume();
        }
    }

    @Test
    void aQemuRestartedOnTheSamePathIsReconnectedTo() throws Exception {
        Path socket = dir.resolve("vm.qmp");
        try (MonitorHarness h = new MonitorHarness(dir, 1)) {
            RecordingListener events = new RecordingListener();
            MonitorConnection m;
            try (Qemu first = Qemu.builder().paused().qmpSocket("daemon", socket).start()) {
                m = h.open(socket, MonitorHarness.options().withReconnect(true), events);
                m.firstConnect().get(15, TimeUnit.SECONDS);
                first.kill();
                events.awaitDisconnected(1);
            }
            try (Qemu second = Qemu.builder().paused().qmpSocket("daemon", socket).start()) {
                assertThat(second.isAlive()).isTrue();
                List<RecordingListener.Connected> c = events.awaitConnected(2);
                assertThat(c.get(1).reconnected()).isTrue();
                assertThat(MonitorHarness.value(m.send("query-status", null, null)).has("status")).isTrue();
            }
        }
    }

    @Test
    void tcpMonitorsWorkLikeUnixOnes() throws Exception {
        int port;
        try (var probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        try (Qemu qemu = Qemu.builder().paused().qmpSocket("daemon")
                .args("-qmp", "tcp:127.0.0.1:" + port + ",server=on,wait=off").start();
             MonitorHarness h = new MonitorHarness(dir, 1)) {
            RecordingListener events = new RecordingListener();
            MonitorConnection m = h.reactor().open("tcp", new java.net.InetSocketAddress("127.0.0.1", port),
                    MonitorHarness.options().withReconnect(true), events);
            m.firstConnect().get(15, TimeUnit.SECONDS);
            assertThat(qemu.isAlive()).isTrue();
            MonitorHarness.value(m.send("cont", null, null));
            assertThat(events.awaitEvents(1).get(0).event().name()).isEqualTo("RESUME");
            m.close();
        }
    }
}
