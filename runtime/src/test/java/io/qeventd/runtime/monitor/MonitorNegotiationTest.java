package io.qeventd.runtime.monitor;

import static io.qeventd.runtime.monitor.MonitorHarness.WAIT;
import static io.qeventd.runtime.monitor.MonitorHarness.json;
import static io.qeventd.runtime.monitor.MonitorHarness.options;
import static io.qeventd.runtime.monitor.MonitorHarness.value;
import static org.assertj.core.api.Assertions.assertThat;

import io.qeventd.runtime.qmp.QmpMessage;
import io.qeventd.testkit.qmp.FakeQmpServer;
import io.qeventd.testkit.qmp.QmpLines;
import io.qeventd.testkit.qmp.ReceivedCommand;
import io.qeventd.testkit.qmp.Reply;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Greeting and {@code qmp_capabilities}: what happens before the first command may be sent. */
class MonitorNegotiationTest {

    private static final String GREETING_WITHOUT_OOB = "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 1, "
            + "\"minor\": 0, \"major\": 8}, \"package\": \"plain\"}, \"capabilities\": []}}";

    @RegisterExtension
    final MonitorHarness h = MonitorHarness.perTest();

    @Test
    void connectedIsCalledOnceWithTheGreetingAndFirstConnectCompletes() throws Exception {
        FakeQmpServer server = h.server("vm");
        RecordingListener listener = new RecordingListener();

        MonitorConnection conn = h.open(server.socket(), options(), listener);
        QmpMessage.Greeting greeting = conn.firstConnect().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);

        assertThat(greeting.qemuVersion()).isEqualTo("7.2.0");
        assertThat(greeting.capabilities()).containsExactly("oob");
        assertThat(greeting.version().path("package").asText()).isEqualTo("qeventd-sim");
        assertThat(conn.state()).isEqualTo(MonitorState.RUNNING);
        assertThat(conn.greeting()).isSameAs(greeting);

        // A round trip after negotiation: a second connected() for this greeting would have come before it.
        assertThat(value(conn.send("query-status", null, null)).path("status").asText()).isEqualTo("running");
        assertThat(listener.connected()).singleElement().satisfies(c -> {
            assertThat(c.greeting()).isSameAs(greeting);
            assertThat(c.reconnected()).isFalse();
            assertThat(c.thread()).startsWith("qmp-reader-");
        });
        assertThat(conn.stats().connects()).isEqualTo(1);
        assertThat(server.received()).filteredOn(r -> r.command().equals("qmp_capabilities")).hasSize(1);
    }

    @Test
    void oobIsEnabledWhenAskedForAndOffered() throws Exception {
        FakeQmpServer server = h.server("vm");
        h.connect(server, options().withOob(true), new RecordingListener());

        ReceivedCommand capabilities = server.awaitCommand("qmp_capabilities", WAIT);
        assertThat(capabilities.arguments()).isEqualTo(json("{\"enable\": [\"oob\"]}"));
    }

    @Test
    void oobIsNotEnabledUnlessAskedFor() throws Exception {
        FakeQmpServer server = h.server("vm");
        h.connect(server, options().withOob(false), new RecordingListener());

        ReceivedCommand capabilities = server.awaitCommand("qmp_capabilities", WAIT);
        assertThat(capabilities.rawLine()).doesNotContain("arguments");
        assertThat(capabilities.arguments()).isEmpty();
    }

    @Test
    void oobIsNotEnabledWhenQemuDoesNotOfferIt() throws Exception {
        FakeQmpServer server = h.server("vm", FakeQmpServer.builder().greeting(GREETING_WITHOUT_OOB));
        MonitorConnection conn = h.connect(server, options().withOob(true), new RecordingListener());

        ReceivedCommand capabilities = server.awaitCommand("qmp_capabilities", WAIT);
        assertThat(capabilities.rawLine()).doesNotContain("arguments");
        assertThat(conn.greeting().qemuVersion()).isEqualTo("8.0.1");
        assertThat(conn.greeting().capabilities()).isEmpty();
    }

    @Test
    void eventsBeforeTheGreetingAreDeliveredAndNegotiationStillWorks() throws Exception {
        String early = QmpLines.event("RESUME", null, 1_700_000_000, 1) + "\r\n"
                + QmpLines.event("NIC_RX_FILTER_CHANGED", Map.of("name", "net0"), 1_700_000_000, 2) + "\r\n";
        FakeQmpServer server = h.server("vm",
                FakeQmpServer.builder().beforeGreeting(early.getBytes(StandardCharsets.UTF_8)));
        RecordingListener listener = new RecordingListener();

        MonitorConnection conn = h.connect(server, options(), listener);

        assertThat(listener.awaitConnected(1)).hasSize(1);
        assertThat(listener.timeline()).containsExactly("event RESUME", "event NIC_RX_FILTER_CHANGED", "connected");
        assertThat(listener.events().get(1).event().dataAsString()).isEqualTo("{\"name\": \"net0\"}");
        assertThat(value(conn.send("query-status", null, null)).path("running").asBoolean()).isTrue();
        assertThat(conn.stats().malformedLines()).isZero();
    }

    @Test
    void garbageBeforeTheGreetingIsSkippedAndNegotiationStillWorks() throws Exception {
        FakeQmpServer server = h.server("vm", FakeQmpServer.builder()
                .beforeGreeting("QEMU is starting, no JSON here\r\n".getBytes(StandardCharsets.UTF_8)));

        MonitorConnection conn = h.connect(server, options(), new RecordingListener());

        assertThat(conn.stats().malformedLines()).isEqualTo(1);
        assertThat(value(conn.send("query-status", null, null)).path("running").asBoolean()).isTrue();
    }

    @Test
    void anUnansweredQmpCapabilitiesIsReportedAsSuchNotAsAMissingGreeting() throws Exception {
        Path socket = Files.createTempDirectory("qeventd-neg-").resolve("vm.qmp");
        try (ServerSocketChannel server =
                     ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            CompletableFuture<SocketChannel> accepted = CompletableFuture.supplyAsync(() -> {
                try {
                    SocketChannel c = server.accept();
                    c.write(ByteBuffer.wrap(("{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 22, \"minor\": 2,"
                            + " \"major\": 7}, \"package\": \"\"}, \"capabilities\": []}}\r\n").getBytes()));
                    return c; // greets, then never answers
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            MonitorConnection conn = h.open(socket, options().withConnectTimeout(Duration.ofMillis(300)),
                    new RecordingListener());
            assertThat(conn.firstConnect()).failsWithin(WAIT).withThrowableOfType(ExecutionException.class)
                    .havingCause().isInstanceOf(MonitorConnectException.class)
                    .withMessageContaining("no QMP answer to qmp_capabilities within 300 ms");
            accepted.get(WAIT.toMillis(), TimeUnit.MILLISECONDS).close();
        } finally {
            Files.deleteIfExists(socket);
            Files.deleteIfExists(socket.getParent());
        }
    }

    @Test
    void aWithheldGreetingFailsFirstConnectAfterTheConnectTimeout() throws Exception {
        FakeQmpServer server = h.server("vm", FakeQmpServer.builder().withholdGreeting());
        RecordingListener listener = new RecordingListener();
        Duration connectTimeout = Duration.ofMillis(300);

        long started = System.nanoTime();
        MonitorConnection conn = h.open(server.socket(), options().withConnectTimeout(connectTimeout), listener);

        assertThat(conn.firstConnect()).failsWithin(WAIT).withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isInstanceOf(MonitorConnectException.class)
                .withMessageContaining("no QMP greeting within 300 ms")
                .withMessageContaining("is QEMU stopped")
                .withMessageContaining(server.socket().toString());
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(connectTimeout);
        conn.closed().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(conn.state()).isEqualTo(MonitorState.CLOSED);
        assertThat(listener.connected()).isEmpty();
        assertThat(listener.disconnected()).isEmpty();
    }

    @Test
    void aRefusedNegotiationFailsFirstConnectWithQemusError() throws Exception {
        FakeQmpServer server = h.server("vm");
        server.respond("qmp_capabilities", args -> Reply.error("GenericError",
                "capabilities refused for this test"));

        MonitorConnection conn = h.open(server.socket(), options(), new RecordingListener());

        assertThat(conn.firstConnect()).failsWithin(WAIT).withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isInstanceOf(MonitorConnectException.class)
                .withMessageContaining("qmp_capabilities refused: GenericError: capabilities refused for this test");
    }
}
