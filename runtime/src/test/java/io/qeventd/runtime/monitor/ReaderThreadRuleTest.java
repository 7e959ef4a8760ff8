package io.qeventd.runtime.monitor;

import static io.qeventd.runtime.monitor.MonitorHarness.WAIT;
import static io.qeventd.runtime.monitor.MonitorHarness.options;
import static io.qeventd.runtime.monitor.MonitorHarness.value;
import static org.assertj.core.api.Assertions.assertThat;

import io.qeventd.runtime.qmp.QmpMessage;
import io.qeventd.testkit.qmp.FakeQmpServer;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The reader thread never sends a command: trying fails at once, with a reason, and harms nothing. */
class ReaderThreadRuleTest {

    @RegisterExtension
    final MonitorHarness h = MonitorHarness.perTest();

    @Test
    void sendingFromTheEventCallbackFailsAtOnceWithIllegalStateException() throws Exception {
        FakeQmpServer server = h.server("vm");
        CompletableFuture<Throwable> fromSend = new CompletableFuture<>();
        CompletableFuture<Throwable> fromMonitor = new CompletableFuture<>();
        MonitorConnection conn = h.connect(server, options(), new MonitorListener() {
            @Override
            public void event(MonitorConnection monitor, QmpMessage.Event event, long nanos, Instant at) {
                fromSend.complete(thrownBy(() -> monitor.send("query-rx-filter", null, null)));
                fromMonitor.complete(thrownBy(() -> new ConnectionMonitor(monitor, MonitorHarness.JSON)
                        .execute("query-status")));
            }
        });

        server.emit("NIC_RX_FILTER_CHANGED", null);

        assertThat(fromSend.get(WAIT.toMillis(), TimeUnit.MILLISECONDS))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("QMP command 'query-rx-filter'")
                .hasMessageContaining("monitor reader thread qmp-reader-0")
                .hasMessageContaining("never block or send commands");
        assertThat(fromMonitor.get(WAIT.toMillis(), TimeUnit.MILLISECONDS))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'query-status'");
        // Nothing was sent, nothing is pending, and the monitor still works from a proper thread.
        assertThat(conn.pendingCommands()).isZero();
        assertThat(value(conn.send("query-status", null, null)).path("running").asBoolean()).isTrue();
        assertThat(server.received()).extracting(r -> r.command())
                .containsExactly("qmp_capabilities", "query-status");
    }

    @Test
    void sendingFromTheConnectedCallbackFailsAtOnceToo() throws Exception {
        FakeQmpServer server = h.server("vm");
        CompletableFuture<Throwable> thrown = new CompletableFuture<>();
        h.connect(server, options(), new MonitorListener() {
            @Override
            public void connected(MonitorConnection monitor, QmpMessage.Greeting greeting, boolean reconnected) {
                thrown.complete(thrownBy(() -> monitor.send("query-status", null, null)));
            }

            @Override
            public void event(MonitorConnection monitor, QmpMessage.Event event, long nanos, Instant at) {
            }
        });

        assertThat(thrown.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theReaderThreadKnowsItselfAndNoOtherThreadDoes() throws Exception {
        FakeQmpServer server = h.server("vm");
        CompletableFuture<Boolean> onReader = new CompletableFuture<>();
        h.connect(server, options(), new MonitorListener() {
            @Override
            public void event(MonitorConnection monitor, QmpMessage.Event event, long nanos, Instant at) {
                onReader.complete(MonitorReactor.isReaderThread());
            }
        });

        server.emit("STOP", null);

        assertThat(onReader.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        assertThat(MonitorReactor.isReaderThread()).isFalse();
    }

    /** What {@code action} threw at once, or an AssertionError standing for "nothing was thrown". */
    private static Throwable thrownBy(Supplier<?> action) {
        try {
            Object result = action.get();
            return new AssertionError("nothing thrown; returned " + result);
        } catch (RuntimeException e) {
            return e;
        }
    }
}
