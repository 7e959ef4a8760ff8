package io.qeventd.runtime.monitor;

import static io.qeventd.runtime.monitor.MonitorHarness.WAIT;
import static io.qeventd.runtime.monitor.MonitorHarness.eventually;
import static io.qeventd.runtime.monitor.MonitorHarness.options;
import static io.qeventd.runtime.monitor.MonitorHarness.value;
import static org.assertj.core.api.Assertions.assertThat;

import io.qeventd.api.MonitorClosedException;
import io.qeventd.runtime.qmp.QmpMessage;
import io.qeventd.testkit.qmp.FakeQmpServer;
import io.qeventd.testkit.qmp.Reply;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A lost connection fails what was pending at once, is told once, and is reconnected when asked for. */
class MonitorDisconnectTest {

    /** Far longer than any wait below: a command that fails did not fail by timing out. */
    private static final Duration LONG_COMMAND_TIMEOUT = Duration.ofMinutes(5);

    @RegisterExtension
    final MonitorHarness h = MonitorHarness.perTest();

    @Test
    void aDisconnectFailsEveryPendingCommandAndWithoutReconnectTheMonitorEndsClosed() throws Exception {
        FakeQmpServer server = h.server("vm");
        server.respond("hang", args -> Reply.none());
        RecordingListener listener = new RecordingListener();
        MonitorConnection conn = h.connect(server, options().withCommandTimeout(LONG_COMMAND_TIMEOUT), listener);
        List<CompletableFuture<QmpMessage.Return>> pending = sendHanging(server, conn, 5);

        server.disconnect();

        assertAllClosed(pending, "at " + server.socket() + " closed");
        assertThat(listener.awaitDisconnected(1)).singleElement()
                .satisfies(d -> assertThat(d.cause()).isInstanceOf(MonitorClosedException.class));
        conn.closed().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(conn.state()).isEqualTo(MonitorState.CLOSED);
        assertThat(conn.pendingCommands()).isZero();
        assertThat(conn.send("query-status", null, null)).failsWithin(WAIT)
                .withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isInstanceOf(MonitorClosedException.class)
                .withMessageContaining("is not connected (closed): cannot send query-status");

        // Closing what is already closed tells the listener nothing more.
        conn.close();
        assertThat(listener.disconnected()).hasSize(1);
        assertThat(listener.timeline()).containsExactly("connected", "disconnected");
    }

    @Test
    void withReconnectANewServerOnTheSamePathIsConnectedTo() throws Exception {
        FakeQmpServer first = h.server("vm");
        first.respond("hang", args -> Reply.none());
        RecordingListener listener = new RecordingListener();
        MonitorConnection conn = h.connect(first, options().withReconnect(true)
                .withCommandTimeout(LONG_COMMAND_TIMEOUT), listener);
        List<CompletableFuture<QmpMessage.Return>> pending = sendHanging(first, conn, 3);

        first.close(); // QEMU gone: the socket file goes with it
        assertAllClosed(pending, "at " + first.socket() + " closed");
        assertThat(listener.awaitDisconnected(1)).hasSize(1);
        assertThat(conn.state()).isNotEqualTo(MonitorState.RUNNING);

        FakeQmpServer second = h.server("vm");
        second.respond("whoami", args -> Reply.ok(Map.of("server", "second")));
        assertThat(listener.awaitConnected(2)).extracting(RecordingListener.Connected::reconnected)
                .containsExactly(false, true);

        assertThat(value(conn.send("whoami", null, null)).path("server").asText()).isEqualTo("second");
        second.emit("RESUME", null);
        assertThat(listener.awaitEvents(1).get(0).event().name()).isEqualTo("RESUME");
        assertThat(conn.state()).isEqualTo(MonitorState.RUNNING);
        assertThat(conn.stats().connects()).isEqualTo(2);
        assertThat(listener.disconnected()).hasSize(1);
        assertThat(listener.timeline()).containsExactly("connected", "disconnected", "reconnected", "event RESUME");
    }

    @Test
    void withReconnectTheSameServerIsConnectedToAgainAfterItDropsTheClient() throws Exception {
        FakeQmpServer server = h.server("vm");
        RecordingListener listener = new RecordingListener();
        MonitorConnection conn = h.connect(server, options().withReconnect(true), listener);

        server.disconnect();

        assertThat(listener.awaitConnected(2).get(1).reconnected()).isTrue();
        assertThat(server.awaitClient(WAIT)).isEqualTo(2);
        assertThat(value(conn.send("query-status", null, null)).path("running").asBoolean()).isTrue();
        assertThat(listener.disconnected()).hasSize(1);
    }

    @Test
    void closingTheMonitorFailsPendingCommandsTellsTheListenerOnceAndDoesNotReconnect() throws Exception {
        FakeQmpServer server = h.server("vm");
        server.respond("hang", args -> Reply.none());
        RecordingListener listener = new RecordingListener();
        MonitorConnection conn = h.connect(server, options().withReconnect(true)
                .withCommandTimeout(LONG_COMMAND_TIMEOUT), listener);
        List<CompletableFuture<QmpMessage.Return>> pending = sendHanging(server, conn, 3);

        conn.close();

        assertAllClosed(pending, "closed by the daemon");
        assertThat(conn.closed()).isDone();
        assertThat(conn.state()).isEqualTo(MonitorState.CLOSED);
        assertThat(listener.disconnected()).hasSize(1);
        conn.close();
        assertThat(listener.disconnected()).hasSize(1);
        // The server sees its client leave and no other arrive: it would be greeted as client 2.
        eventually("the server has no client", () -> !server.disconnect(), () -> "connected");
        assertThat(server.clientCount()).isEqualTo(1);
    }

    @Test
    void withReconnectAMissingSocketIsRetriedUntilItAppears() throws Exception {
        RecordingListener listener = new RecordingListener();
        Path socket = h.socket("late");
        MonitorConnection conn = h.open(socket, options().withReconnect(true), listener);

        // The first attempt fails (no socket yet); that is what firstConnect reports.
        assertThat(conn.firstConnect()).failsWithin(WAIT).withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isInstanceOf(MonitorConnectException.class)
                .withMessageContaining(socket.toString());

        FakeQmpServer server = h.server("late");
        assertThat(listener.awaitConnected(1)).singleElement()
                .satisfies(c -> assertThat(c.reconnected()).isFalse());
        assertThat(value(conn.send("query-status", null, null)).path("running").asBoolean()).isTrue();
        assertThat(server.clientCount()).isEqualTo(1);
    }

    /** Sends {@code count} commands the server never answers and waits until it has read them all. */
    private static List<CompletableFuture<QmpMessage.Return>> sendHanging(FakeQmpServer server,
            MonitorConnection conn, int count) throws Exception {
        List<CompletableFuture<QmpMessage.Return>> pending = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            pending.add(conn.send("hang", Map.of("n", i), null));
        }
        for (int i = 0; i < count; i++) {
            server.awaitCommand("hang", WAIT);
        }
        assertThat(conn.pendingCommands()).isEqualTo(count);
        return pending;
    }

    /** Every command failed with MonitorClosedException, well before the command timeout. */
    private static void assertAllClosed(List<CompletableFuture<QmpMessage.Return>> pending, String reason) {
        long started = System.nanoTime();
        for (CompletableFuture<QmpMessage.Return> p : pending) {
            assertThat(p).failsWithin(WAIT).withThrowableOfType(ExecutionException.class)
                    .havingCause()
                    .isInstanceOf(MonitorClosedException.class)
                    .withMessageContaining(reason);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(WAIT);
    }
}
