package io.qeventd.runtime.monitor;

import static io.qeventd.runtime.monitor.MonitorHarness.WAIT;
import static io.qeventd.runtime.monitor.MonitorHarness.json;
import static io.qeventd.runtime.monitor.MonitorHarness.options;
import static io.qeventd.runtime.monitor.MonitorHarness.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.qeventd.api.MonitorClosedException;
import io.qeventd.runtime.monitor.RecordingListener.Received;
import io.qeventd.runtime.qmp.QmpMessage;
import io.qeventd.testkit.qmp.FakeQmpServer;
import io.qeventd.testkit.qmp.Reply;
import java.nio.file.Files;
import java.time.Duration;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One reader thread serves many monitors through its selector; no thread per monitor. */
class MonitorReactorTest {

    private static final int MONITORS = 50;
    private static final int EVENTS_EACH = 40;

    @TempDir
    Path dir;

    private MonitorHarness h;

    @BeforeEach
    void start() {
        h = new MonitorHarness(dir, 1);
    }

    @AfterEach
    void stop() {
        h.close();
    }

    @Test
    void oneReaderServesFiftyMonitorsAtOnce() throws Exception {
        assertThat(h.reactor().readerThreads()).isEqualTo(1);
        List<FakeQmpServer> servers = new ArrayList<>();
        List<RecordingListener> listeners = new ArrayList<>();
        List<MonitorConnection> monitors = new ArrayList<>();
        for (int vm = 0; vm < MONITORS; vm++) {
            FakeQmpServer server = h.server("vm" + vm);
            int which = vm;
            server.respond("whoami", args -> Reply.ok(Map.of("vm", which, "asked", args.path("n").asInt())));
            RecordingListener listener = new RecordingListener();
            servers.add(server);
            listeners.add(listener);
            monitors.add(h.open(server.socket(), options(), listener));
        }
        for (MonitorConnection m : monitors) {
            m.firstConnect().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }

        // Events for every monitor interleave on the wire's way to the one reader.
        for (int i = 0; i < EVENTS_EACH; i++) {
            for (int vm = 0; vm < MONITORS; vm++) {
                servers.get(vm).emit("RTC_CHANGE", Map.of("vm", vm, "i", i), 1, i);
            }
        }
        List<CompletableFuture<QmpMessage.Return>> replies = new ArrayList<>();
        for (int vm = 0; vm < MONITORS; vm++) {
            replies.add(monitors.get(vm).send("whoami", Map.of("n", vm * 10), null));
        }

        for (int vm = 0; vm < MONITORS; vm++) {
            List<Received> events = listeners.get(vm).awaitEvents(EVENTS_EACH);
            assertThat(events).hasSize(EVENTS_EACH);
            for (int i = 0; i < EVENTS_EACH; i++) {
                assertThat(json(events.get(i).event().dataAsString()))
                        .isEqualTo(json("{\"vm\": " + vm + ", \"i\": " + i + "}"));
                assertThat(events.get(i).thread()).isEqualTo("qmp-reader-0");
            }
            assertThat(value(replies.get(vm)).path("vm").asInt()).isEqualTo(vm);
            assertThat(value(replies.get(vm)).path("asked").asInt()).isEqualTo(vm * 10);
            assertThat(listeners.get(vm).connected()).singleElement()
                    .satisfies(c -> assertThat(c.thread()).isEqualTo("qmp-reader-0"));
        }
    }

    @Test
    void monitorsAreSpreadOverSeveralReadersInTurn() throws Exception {
        try (MonitorHarness two = new MonitorHarness(Files.createDirectories(dir.resolve("two")), 2)) {
            List<String> threads = new ArrayList<>();
            for (int vm = 0; vm < 4; vm++) {
                RecordingListener listener = new RecordingListener();
                two.connect(two.server("spread" + vm), options(), listener);
                threads.add(listener.awaitConnected(1).get(0).thread());
            }
            assertThat(threads).containsExactly("qmp-reader-0", "qmp-reader-1", "qmp-reader-0", "qmp-reader-1");
        }
    }

    @Test
    void closingTheReactorClosesItsMonitorsAndFailsWhatWasPending() throws Exception {
        MonitorHarness own = new MonitorHarness(Files.createDirectories(dir.resolve("own")), 1);
        try {
            FakeQmpServer server = own.server("vm");
            server.respond("hang", args -> Reply.none());
            RecordingListener listener = new RecordingListener();
            MonitorConnection conn = own.connect(server, options().withReconnect(true)
                    .withCommandTimeout(Duration.ofMinutes(5)), listener);
            CompletableFuture<QmpMessage.Return> pending = conn.send("hang", null, null);
            server.awaitCommand("hang", WAIT);

            own.reactor().close();

            assertThat(pending).failsWithin(WAIT).withThrowableOfType(ExecutionException.class)
                    .withCauseInstanceOf(MonitorClosedException.class);
            assertThat(conn.closed()).isDone();
            assertThat(conn.state()).isEqualTo(MonitorState.CLOSED);
            assertThat(listener.disconnected()).hasSize(1);
            // Sending afterwards fails as for any closed monitor, not with the timer's rejection.
            assertThat(conn.send("query-status", null, null)).failsWithin(WAIT)
                    .withThrowableOfType(ExecutionException.class)
                    .withCauseInstanceOf(MonitorClosedException.class);
        } finally {
            own.close();
        }
    }

    @Test
    void aReactorNeedsAtLeastOneReader() {
        assertThatThrownBy(() -> new MonitorReactor(0, new ObjectMapper()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1");
    }


    /**
     * The command timer's thread exists from the start, in the runtime's class loader: made on the first command,
     * it would be born on a worker inside a plugin's class loader and reported as a thread that plugin left.
     */
    @Test
    void theCommandTimerThreadBelongsToNoPlugin() throws Exception {
        ClassLoader pluginLike = new java.net.URLClassLoader(new java.net.URL[0], getClass().getClassLoader());
        Thread worker = new Thread(() -> {
            try (MonitorReactor r = new MonitorReactor(1, new ObjectMapper())) {
                for (Thread t : Thread.getAllStackTraces().keySet()) {
                    if (t.getName().equals("qmp-timer") && t.isAlive()) {
                        assertThat(t.getContextClassLoader()).isNotSameAs(pluginLike);
                    }
                }
                assertThat(Thread.getAllStackTraces().keySet()).anyMatch(t -> t.getName().equals("qmp-timer"));
            }
        });
        worker.setContextClassLoader(pluginLike);
        List<Throwable> failures = new ArrayList<>();
        worker.setUncaughtExceptionHandler((t, e) -> failures.add(e));
        worker.start();
        worker.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(failures).isEmpty();
    }
}
