package io.qeventd.runtime.monitor;

import static io.qeventd.runtime.monitor.MonitorHarness.WAIT;
import static io.qeventd.runtime.monitor.MonitorHarness.options;
import static io.qeventd.runtime.monitor.MonitorHarness.value;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.qeventd.api.MonitorClosedException;
import io.qeventd.runtime.qmp.QmpMessage;
import io.qeventd.testkit.qmp.FakeQmpServer;
import io.qeventd.testkit.qmp.Reply;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Large messages are read whole up to the size limit; one past it ends the connection, loudly. */
class MonitorMessageSizeTest {

    private static final int LIMIT = 64 * 1024;

    @RegisterExtension
    final MonitorHarness h = MonitorHarness.perTest();

    @Test
    void aFiveMegabyteReturnValueIsReadWhole() throws Exception {
        FakeQmpServer server = h.server("vm");
        String blob = pattern(5 * 1024 * 1024);
        server.respond("big", args -> Reply.ok(Map.of("blob", blob)));
        MonitorConnection conn = h.connect(server, options(), new RecordingListener());

        JsonNode big = value(conn.send("big", null, null));

        assertThat(big.path("blob").asText()).isEqualTo(blob);
        assertThat(conn.stats().bytesRead()).isGreaterThan(5L * 1024 * 1024);
        // The reader carries on with small messages once the large buffer is given back.
        assertThat(value(conn.send("query-status", null, null)).path("running").asBoolean()).isTrue();
    }

    @Test
    void aRxFilterReplyWithAFullVlanTableIsRead() throws Exception {
        FakeQmpServer server = h.server("vm");
        server.respond("query-rx-filter", args -> Reply.ok(List.of(rxFilter(args.path("name").asText()))));
        MonitorConnection conn = h.connect(server, options(), new RecordingListener());

        QmpMessage.Return reply = conn.send("query-rx-filter", Map.of("name", "net0"), null)
                .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);

        assertThat(reply.value().length).isGreaterThan(20_000);
        JsonNode filter = MonitorHarness.JSON.readTree(reply.value()).get(0);
        assertThat(filter.path("name").asText()).isEqualTo("net0");
        assertThat(filter.path("main-mac").asText()).isEqualTo("52:54:00:12:34:56");
        JsonNode vlans = filter.path("vlan-table");
        assertThat(vlans).hasSize(4096);
        for (int v = 0; v < 4096; v++) {
            assertThat(vlans.get(v).asInt()).isEqualTo(v);
        }
    }

    @Test
    void aMessageOfExactlyTheLimitIsRead() throws Exception {
        FakeQmpServer server = h.server("vm");
        server.respond("hold", args -> Reply.none());
        MonitorConnection conn = h.connect(server, options().withMaxMessageSize(LIMIT), new RecordingListener());

        CompletableFuture<QmpMessage.Return> reply = conn.send("hold", null, null);
        JsonNode id = server.awaitCommand("hold", WAIT).id();
        String line = replyOfLength(LIMIT, id);
        server.sendRaw(line + "\r\n");

        assertThat(value(reply).path("blob").asText()).hasSizeGreaterThan(LIMIT - 100);
        assertThat(conn.state()).isEqualTo(MonitorState.RUNNING);
    }

    @Test
    void aMessageOverTheLimitClosesTheConnectionFailsPendingCommandsAndTheMonitorReconnects() throws Exception {
        FakeQmpServer server = h.server("vm");
        server.respond("hold", args -> Reply.none());
        RecordingListener listener = new RecordingListener();
        MonitorConnection conn = h.connect(server,
                options().withMaxMessageSize(LIMIT).withReconnect(true), listener);
        CompletableFuture<QmpMessage.Return> first = conn.send("hold", null, null);
        CompletableFuture<QmpMessage.Return> second = conn.send("hold", null, null);
        server.awaitCommand("hold", WAIT);
        JsonNode id = server.awaitCommand("hold", WAIT).id();

        server.sendRaw(replyOfLength(LIMIT + 1, id) + "\r\n");

        for (CompletableFuture<QmpMessage.Return> pending : List.of(first, second)) {
            assertThat(pending).failsWithin(WAIT).withThrowableOfType(ExecutionException.class)
                    .havingCause()
                    .isInstanceOf(MonitorClosedException.class)
                    .withMessageContaining("exceeds the size limit of " + LIMIT + " bytes (maxMessageSize)");
        }
        assertThat(listener.awaitDisconnected(1)).singleElement().satisfies(d ->
                assertThat(d.cause()).hasMessageContaining("size limit of " + LIMIT));

        // With reconnect on, the monitor comes back on its own and works again.
        assertThat(listener.awaitConnected(2).get(1).reconnected()).isTrue();
        assertThat(value(conn.send("query-status", null, null)).path("running").asBoolean()).isTrue();
        assertThat(server.clientCount()).isEqualTo(2);
        assertThat(conn.stats().connects()).isEqualTo(2);
        assertThat(listener.disconnected()).hasSize(1);
    }

    @Test
    void aMessageOverTheLimitWithoutReconnectLeavesTheMonitorClosed() throws Exception {
        FakeQmpServer server = h.server("vm");
        server.respond("big", args -> Reply.ok(Map.of("blob", pattern(LIMIT))));
        RecordingListener listener = new RecordingListener();
        MonitorConnection conn = h.connect(server, options().withMaxMessageSize(LIMIT), listener);

        CompletableFuture<QmpMessage.Return> big = conn.send("big", null, Duration.ofSeconds(60));

        assertThat(big).failsWithin(WAIT).withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isInstanceOf(MonitorClosedException.class)
                .withMessageContaining("maxMessageSize");
        conn.closed().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(conn.state()).isEqualTo(MonitorState.CLOSED);
        assertThat(listener.disconnected()).hasSize(1);
    }

    /** A reply line, without line ending, of exactly {@code length} bytes. */
    private static String replyOfLength(int length, JsonNode id) {
        String head = "{\"return\": {\"blob\": \"";
        String tail = "\"}, \"id\": " + id + "}";
        return head + pattern(length - head.length() - tail.length()) + tail;
    }

    /** ASCII text that differs from position to position, so a lost or doubled piece shows. */
    static String pattern(int length) {
        StringBuilder s = new StringBuilder(length + 16);
        for (int i = 0; s.length() < length; i++) {
            s.append(Integer.toString(i, 36)).append('-');
        }
        s.setLength(length);
        return s.toString();
    }

    /** What QEMU 7.2 answers to query-rx-filter for one virtio NIC, with every VLAN allowed. */
    static Map<String, Object> rxFilter(String nic) {
        return Map.ofEntries(
                Map.entry("name", nic),
                Map.entry("promiscuous", true),
                Map.entry("multicast", "normal"),
                Map.entry("unicast", "normal"),
                Map.entry("vlan", "normal"),
                Map.entry("broadcast-allowed", false),
                Map.entry("multicast-overflow", false),
                Map.entry("unicast-overflow", false),
                Map.entry("main-mac", "52:54:00:12:34:56"),
                Map.entry("vlan-table", IntStream.range(0, 4096).boxed().toList()),
                Map.entry("unicast-table", List.of()),
                Map.entry("multicast-table", List.of("01:00:5e:00:00:01", "33:33:00:00:00:01")));
    }
}
