package io.qeventd.runtime.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.qeventd.api.MonitorClosedException;
import io.qeventd.runtime.qmp.QmpMessage;
import io.qeventd.testkit.qmp.FakeQmpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Races staged by holding the (only) reader thread: a listener of another monitor blocks it while the
 * test arranges what QEMU and the callers do, then lets it go.
 */
class MonitorRacesTest {
    @TempDir
    Path dir;

    @Test
    void eventsWrittenJustBeforeQemuExitsAreReadWhenAWriteFailsFirst() throws Exception {
        Path socket = dir.resolve("quitting.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
             MonitorHarness h = new MonitorHarness(dir, 1);
             FakeQmpServer other = h.server("other")) {
            server.bind(UnixDomainSocketAddress.of(socket));
            ReaderHold hold = new ReaderHold();
            h.connect(other, MonitorHarness.options(), hold);
            RecordingListener events = new RecordingListener();
            MonitorConnection quitting = h.open(socket, MonitorHarness.options(), events);
            try (SocketChannel qemu = server.accept()) {
                write(qemu, "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 0, \"minor\": 2, \"major\": 7}, "
                        + "\"package\": \"\"}, \"capabilities\": [\"oob\"]}}\r\n");
                BufferedReader in = new BufferedReader(Channels.newReader(qemu, StandardCharsets.UTF_8));
                assertThat(in.readLine()).contains("qmp_capabilities");
                write(qemu, "{\"return\": {}, \"id\": 0}\r\n");
                quitting.firstConnect().get(10, TimeUnit.SECONDS);

                other.emit("HOLD", Map.of());
                assertThat(hold.held.await(10, TimeUnit.SECONDS)).isTrue();
                // While the reader is held: QEMU says its last words and exits; a command is on its way.
                write(qemu, "{\"event\": \"STOP\", \"timestamp\": {\"seconds\": 1, \"microseconds\": 0}}\r\n"
                        + "{\"event\": \"SHUTDOWN\", \"data\": {\"guest\": false, \"reason\": \"host-qmp-quit\"}, "
                        + "\"timestamp\": {\"seconds\": 1, \"microseconds\": 1}}\r\n");
            }
            CompletableFuture<QmpMessage.Return> late = quitting.send("query-status", null, null);
            hold.release.countDown();

            assertThat(events.awaitEvents(2)).extracting(r -> r.event().name()).containsExactly("STOP", "SHUTDOWN");
            Throwable failure = org.assertj.core.api.Assertions.catchThrowable(() -> late.get(10, TimeUnit.SECONDS));
            assertThat(failure).isInstanceOf(ExecutionException.class).cause().isInstanceOf(MonitorClosedException.class);
        }
    }

    @Test
    void aCommandThatTimedOutBeforeItWasWrittenIsNeverSent() throws Exception {
        try (MonitorHarness h = new MonitorHarness(dir, 1);
             FakeQmpServer holder = h.server("holder");
             FakeQmpServer qemu = h.server("qemu")) {
            ReaderHold hold = new ReaderHold();
            h.connect(holder, MonitorHarness.options(), hold);
            MonitorConnection m = h.connect(qemu, MonitorHarness.options(), new RecordingListener());

            holder.emit("HOLD", Map.of());
            assertThat(hold.held.await(10, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<QmpMessage.Return> stale = m.send("stop", null, java.time.Duration.ofMillis(50));
            Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> stale.get(10, TimeUnit.SECONDS));
            assertThat(t).isInstanceOf(ExecutionException.class).cause()
                    .isInstanceOf(io.qeventd.api.CommandTimeoutException.class);
            hold.release.countDown();

            MonitorHarness.value(m.send("query-status", null, null));
            assertThat(qemu.received()).extracting(c -> c.command()).doesNotContain("stop").contains("query-status");
        }
    }

    /**
     * The listener of a monitor on the same (only) reader: its first event holds the reader thread until
     * released, while the test stages the race.
     */
    private static final class ReaderHold implements MonitorListener {
        final CountDownLatch held = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public void event(MonitorConnection m, QmpMessage.Event e, long nanos, Instant at) {
            held.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void write(SocketChannel ch, String text) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }
}
