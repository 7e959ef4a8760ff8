package io.qeventd.runtime.monitor;

import static io.qeventd.runtime.monitor.MonitorHarness.WAIT;
import static io.qeventd.runtime.monitor.MonitorHarness.eventually;
import static io.qeventd.runtime.monitor.MonitorHarness.json;
import static io.qeventd.runtime.monitor.MonitorHarness.options;
import static io.qeventd.runtime.monitor.MonitorHarness.value;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.qeventd.api.CommandTimeoutException;
import io.qeventd.api.QmpErrorException;
import io.qeventd.runtime.qmp.QmpMessage;
import io.qeventd.testkit.qmp.FakeQmpServer;
import io.qeventd.testkit.qmp.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Commands and their replies: matched by id, errors and timeouts as exceptions, strays counted. */
class MonitorCommandsTest {

    @RegisterExtension
    final MonitorHarness h = MonitorHarness.perTest();

    @Test
    void manyCommandsInFlightFromSeveralThreadsEachGetTheirOwnReply() throws Exception {
        FakeQmpServer server = h.server("vm");
        // The reply depends on the arguments; every fifth is delayed so later replies overtake it.
        server.respond("echo", args -> {
            int n = args.path("n").asInt();
            Reply ok = Reply.ok(Map.of("thread", args.path("thread").asInt(), "n", n, "square", (long) n * n));
            return n % 5 == 0 ? Reply.after(Duration.ofMillis(1 + n % 13), ok) : ok;
        });
        MonitorConnection conn = h.connect(server, options(), new RecordingListener());
        int threads = 8;
        int perThread = 200;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    go.await();
                    List<CompletableFuture<QmpMessage.Return>> replies = new ArrayList<>();
                    for (int n = 0; n < perThread; n++) {
                        replies.add(conn.send("echo", Map.of("thread", thread, "n", n), null));
                    }
                    for (int n = 0; n < perThread; n++) {
                        JsonNode v = value(replies.get(n));
                        assertThat(v.path("thread").asInt()).isEqualTo(thread);
                        assertThat(v.path("n").asInt()).isEqualTo(n);
                        assertThat(v.path("square").asLong()).isEqualTo((long) n * n);
                    }
                    return perThread;
                }));
            }
            go.countDown();
            int checked = 0;
            for (Future<Integer> f : done) {
                checked += f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            }
            assertThat(checked).isEqualTo(threads * perThread);
        } finally {
            pool.shutdownNow();
        }
        assertThat(conn.pendingCommands()).isZero();
        assertThat(conn.stats().unknownReplies()).isZero();
        assertThat(conn.stats().lateReplies()).isZero();
        assertThat(server.received()).filteredOn(r -> r.command().equals("echo")).hasSize(threads * perThread);
    }

    @Test
    void commandsLargerThanTheSocketBufferAreWrittenWholeAndInOnePiece() throws Exception {
        FakeQmpServer server = h.server("vm");
        server.respond("store", args -> {
            String blob = args.path("blob").asText();
            return Reply.ok(Map.of("n", args.path("n").asInt(), "length", blob.length(),
                    "intact", blob.equals(MonitorMessageSizeTest.pattern(blob.length()))));
        });
        MonitorConnection conn = h.connect(server, options(), new RecordingListener());
        // Several MiB per command: far more than a unix socket takes in one write, so writing resumes
        // when the socket is writable again, while other commands queue behind.
        List<CompletableFuture<QmpMessage.Return>> replies = new ArrayList<>();
        for (int n = 0; n < 4; n++) {
            int length = (n + 1) * 1024 * 1024 + n;
            replies.add(conn.send("store", Map.of("n", n, "blob", MonitorMessageSizeTest.pattern(length)), null));
            replies.add(conn.send("query-status", null, null));
        }

        for (int n = 0; n < 4; n++) {
            JsonNode v = value(replies.get(2 * n));
            assertThat(v.path("n").asInt()).isEqualTo(n);
            assertThat(v.path("length").asInt()).isEqualTo((n + 1) * 1024 * 1024 + n);
            assertThat(v.path("intact").asBoolean()).isTrue();
            assertThat(value(replies.get(2 * n + 1)).path("running").asBoolean()).isTrue();
        }
        assertThat(server.received()).extracting(r -> r.command())
                .containsExactly("qmp_capabilities", "store", "query-status", "store", "query-status", "store",
                        "query-status", "store", "query-status");
    }

    @Test
    void anErrorReplyFailsWithQmpErrorExceptionCarryingClassAndDescription() throws Exception {
        FakeQmpServer server = h.server("vm");
        server.respond("device_del", args ->
                Reply.error("DeviceNotFound", "Device '" + args.path("id").asText() + "' not found"));
        MonitorConnection conn = h.connect(server, options(), new RecordingListener());

        CompletableFuture<QmpMessage.Return> reply = conn.send("device_del", Map.of("id", "nic9"), null);

        assertThat(reply).failsWithin(WAIT).withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isInstanceOfSatisfying(QmpErrorException.class, e -> {
                    assertThat(e.command()).isEqualTo("device_del");
                    assertThat(e.errorClass()).isEqualTo("DeviceNotFound");
                    assertThat(e.description()).isEqualTo("Device 'nic9' not found");
                    assertThat(e).hasMessage("device_del failed: DeviceNotFound: Device 'nic9' not found");
                });
        assertThat(conn.send("no-such-command", null, null)).failsWithin(WAIT)
                .withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isInstanceOfSatisfying(QmpErrorException.class,
                        e -> assertThat(e.errorClass()).isEqualTo("CommandNotFound"));
        assertThat(conn.state()).isEqualTo(MonitorState.RUNNING);
    }

    @Test
    void aPerCallTimeoutOverridesTheLongDefault() throws Exception {
        FakeQmpServer server = h.server("vm");
        server.respond("hang", args -> Reply.none());
        MonitorConnection conn = h.connect(server, options().withCommandTimeout(Duration.ofMinutes(5)),
                new RecordingListener());
        Duration timeout = Duration.ofMillis(200);

        long started = System.nanoTime();
        CompletableFuture<QmpMessage.Return> reply = conn.send("hang", null, timeout);

        assertThat(reply).failsWithin(WAIT).withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isInstanceOfSatisfying(CommandTimeoutException.class, e -> {
                    assertThat(e.timeout()).isEqualTo(timeout);
                    assertThat(e).hasMessage("hang: no reply within 200 ms");
                });
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(took).isGreaterThanOrEqualTo(timeout).isLessThan(Duration.ofSeconds(10));
        assertThat(conn.pendingCommands()).isZero();
        assertThat(conn.state()).isEqualTo(MonitorState.RUNNING);
    }

    @Test
    void theDefaultTimeoutAppliesWhenNoneIsGiven() throws Exception {
        FakeQmpServer server = h.server("vm");
        server.respond("hang", args -> Reply.none());
        MonitorConnection conn = h.connect(server, options().withCommandTimeout(Duration.ofMillis(150)),
                new RecordingListener());

        assertThat(conn.send("hang", null, null)).failsWithin(WAIT).withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isInstanceOfSatisfying(CommandTimeoutException.class,
                        e -> assertThat(e.timeout()).isEqualTo(Duration.ofMillis(150)));
    }

    @Test
    void aReplyWithAnUnknownIdIsCountedAndDropped() throws Exception {
        FakeQmpServer server = h.server("vm");
        server.respond("hold", args -> Reply.none());
        MonitorConnection conn = h.connect(server, options(), new RecordingListener());
        CompletableFuture<QmpMessage.Return> held = conn.send("hold", null, null);
        JsonNode id = server.awaitCommand("hold", WAIT).id();

        server.sendRaw("{\"return\": {\"stray\": 1}, \"id\": 424242}\r\n"
                + "{\"id\": \"not-ours\", \"error\": {\"class\": \"GenericError\", \"desc\": \"stray\"}}\r\n"
                + "{\"return\": {\"no\": \"id\"}}\r\n");

        eventually("three unknown replies counted", () -> conn.stats().unknownReplies() == 3, conn::stats);
        assertThat(held).isNotDone();
        assertThat(conn.pendingCommands()).isEqualTo(1);
        server.sendRaw("{\"return\": {\"held\": true}, \"id\": " + id + "}\r\n");
        assertThat(value(held)).isEqualTo(json("{\"held\": true}"));
        assertThat(conn.stats().lateReplies()).isZero();
        assertThat(conn.state()).isEqualTo(MonitorState.RUNNING);
    }

    @Test
    void aReplyAfterItsTimeoutIsCountedAsLate() throws Exception {
        FakeQmpServer server = h.server("vm");
        server.respond("slow", args -> Reply.none());
        MonitorConnection conn = h.connect(server, options(), new RecordingListener());

        CompletableFuture<QmpMessage.Return> reply = conn.send("slow", null, Duration.ofMillis(100));
        JsonNode id = server.awaitCommand("slow", WAIT).id();
        assertThat(reply).failsWithin(WAIT).withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(CommandTimeoutException.class);
        server.sendRaw("{\"return\": {\"too\": \"late\"}, \"id\": " + id + "}\r\n");

        eventually("the late reply counted", () -> conn.stats().lateReplies() == 1, conn::stats);
        assertThat(conn.stats().unknownReplies()).isZero();
        assertThat(value(conn.send("query-status", null, null)).path("running").asBoolean()).isTrue();
    }

    @Test
    void scalarAndStringReturnValuesArriveWhole() throws Exception {
        FakeQmpServer server = h.server("vm");
        server.respond("human-monitor-command", args ->
                Reply.ok("QEMU 7.2.0 monitor - type 'help' for more information\r\n\"quoted\" ✓"));
        server.respond("answer", args -> Reply.ok(42));
        server.respond("nothing", args -> Reply.ok(List.of()));
        MonitorConnection conn = h.connect(server, options(), new RecordingListener());

        JsonNode text = value(conn.send("human-monitor-command", Map.of("command-line", "info version"), null));
        assertThat(text.isTextual()).isTrue();
        assertThat(text.asText()).isEqualTo("QEMU 7.2.0 monitor - type 'help' for more information\r\n\"quoted\" ✓");
        assertThat(value(conn.send("answer", null, null)).asInt()).isEqualTo(42);
        assertThat(value(conn.send("nothing", null, null))).isEmpty();
    }

    @Test
    void argumentsThatAreNoJsonObjectAreRefusedWithoutSending() throws Exception {
        FakeQmpServer server = h.server("vm");
        MonitorConnection conn = h.connect(server, options(), new RecordingListener());

        assertThat(conn.send("device_del", List.of("nic0"), null)).failsWithin(WAIT)
                .withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isInstanceOf(IllegalArgumentException.class)
                .withMessageContaining("arguments of device_del must be a JSON object");
        assertThat(value(conn.send("query-status", null, null)).path("running").asBoolean()).isTrue();
        assertThat(server.received()).extracting(r -> r.command()).doesNotContain("device_del");
    }
}
