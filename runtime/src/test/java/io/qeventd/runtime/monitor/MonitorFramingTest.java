package io.qeventd.runtime.monitor;

import static io.qeventd.runtime.monitor.MonitorHarness.WAIT;
import static io.qeventd.runtime.monitor.MonitorHarness.eventually;
import static io.qeventd.runtime.monitor.MonitorHarness.json;
import static io.qeventd.runtime.monitor.MonitorHarness.options;
import static io.qeventd.runtime.monitor.MonitorHarness.value;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.qeventd.runtime.monitor.RecordingListener.Received;
import io.qeventd.runtime.qmp.QmpMessage;
import io.qeventd.testkit.qmp.FakeQmpServer;
import io.qeventd.testkit.qmp.LineEnding;
import io.qeventd.testkit.qmp.QmpLines;
import io.qeventd.testkit.qmp.Reply;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Messages are read whole however the byte stream is cut: split anywhere, many per write, either line
 * ending. Lines that are no QMP message are counted and skipped without harm to the ones around them.
 */
class MonitorFramingTest {

    /** Multi-byte UTF-8, so that some cuts fall inside a character. */
    private static final String TEXT = "grüße ✓ €";

    @RegisterExtension
    final MonitorHarness h = MonitorHarness.perTest();

    @ParameterizedTest
    @EnumSource(LineEnding.class)
    void aReplyAndAnEventCutAtAnyOffsetArriveWhole(LineEnding ending) throws Exception {
        FakeQmpServer server = h.server("vm",
                FakeQmpServer.builder().lineEnding(ending).splitPause(Duration.ofMillis(1)));
        server.respond("probe", args -> Reply.none()); // answered below, by hand, in pieces
        RecordingListener listener = new RecordingListener();
        MonitorConnection conn = h.connect(server, options(), listener);

        int cut = 1;
        while (true) {
            CompletableFuture<QmpMessage.Return> reply = conn.send("probe", Map.of("cut", cut), null);
            JsonNode id = server.awaitCommand("probe", WAIT).id();
            byte[] wire = (replyLine(cut, id) + ending.chars()
                    + QmpLines.event("SPLIT", Map.of("cut", cut), 1_700_000_000, cut) + ending.chars())
                    .getBytes(StandardCharsets.UTF_8);
            // Every offset of the longest wire form is cut at; the last piece is then the final LF alone.
            boolean last = cut >= wire.length - 1;

            server.sendSplit(wire, Math.min(cut, wire.length - 1));

            assertThat(value(reply)).as("reply cut at %d", cut).isEqualTo(expectedValue(cut));
            Received event = listener.awaitEvents(cut).get(cut - 1);
            assertThat(event.event().name()).as("event cut at %d", cut).isEqualTo("SPLIT");
            assertThat(event.event().dataAsString()).isEqualTo("{\"cut\": " + cut + "}");
            if (last) {
                break;
            }
            cut++;
        }
        assertThat(cut).isGreaterThan(150);
        assertThat(conn.stats().malformedLines()).isZero();
        assertThat(conn.stats().unknownReplies()).isZero();
    }

    @ParameterizedTest
    @EnumSource(LineEnding.class)
    void aReplyWrittenOneByteAtATimeArrivesWhole(LineEnding ending) throws Exception {
        FakeQmpServer server = h.server("vm",
                FakeQmpServer.builder().lineEnding(ending).splitPause(Duration.ofMillis(1)));
        server.respond("probe", args -> Reply.none());
        MonitorConnection conn = h.connect(server, options(), new RecordingListener());

        CompletableFuture<QmpMessage.Return> reply = conn.send("probe", null, null);
        JsonNode id = server.awaitCommand("probe", WAIT).id();
        byte[] wire = (replyLine(7, id) + ending.chars()).getBytes(StandardCharsets.UTF_8);
        server.sendSplit(wire, IntStream.range(1, wire.length).toArray());

        assertThat(value(reply)).isEqualTo(expectedValue(7));
    }

    @Test
    void manyMessagesInOneWriteWithMixedLineEndingsAllArrive() throws Exception {
        FakeQmpServer server = h.server("vm");
        server.respond("hold", args -> Reply.none());
        RecordingListener listener = new RecordingListener();
        MonitorConnection conn = h.connect(server, options(), listener);
        CompletableFuture<QmpMessage.Return> reply = conn.send("hold", null, null);
        JsonNode id = server.awaitCommand("hold", WAIT).id();

        StringBuilder wire = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            wire.append(QmpLines.event("BURST", Map.of("i", i), 1, i)).append(i % 3 == 0 ? "\n" : "\r\n");
            if (i == 1000) {
                wire.append(replyLine(1000, id)).append("\r\n");
            }
        }
        server.sendRaw(wire.toString()).get();

        assertThat(value(reply)).isEqualTo(expectedValue(1000));
        List<Received> events = listener.awaitEvents(2000);
        for (int i = 0; i < 2000; i++) {
            assertThat(events.get(i).event().dataAsString()).isEqualTo("{\"i\": " + i + "}");
        }
    }

    @Test
    void malformedLinesAreCountedAndSkippedAndTheMonitorKeepsWorking() throws Exception {
        FakeQmpServer server = h.server("vm");
        server.respond("hold", args -> Reply.none());
        RecordingListener listener = new RecordingListener();
        MonitorConnection conn = h.connect(server, options(), listener);
        CompletableFuture<QmpMessage.Return> held = conn.send("hold", null, null);
        JsonNode id = server.awaitCommand("hold", WAIT).id();

        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        write(wire, QmpLines.event("BEFORE", null, 1, 1) + "\r\n");
        write(wire, "this is not json\r\n");                                // not JSON
        write(wire, "{\"neither\": \"a reply nor an event\"}\r\n");         // JSON of no QMP shape
        write(wire, "[1, 2, 3]\r\n");                                        // not an object
        write(wire, "{\"event\": \"CUT_SHORT\", \"data\": {\r\n");           // truncated object
        write(wire, "{\"return\": {}, \"id\": " + id + "} trailing\r\n");    // trailing content
        wire.write(new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, '\r', '\n'}); // not UTF-8 at all
        write(wire, QmpLines.event("AFTER", Map.of("ok", true), 2, 2) + "\r\n");
        server.sendRaw(wire.toByteArray()).get();

        eventually("six malformed lines counted", () -> conn.stats().malformedLines() == 6, conn::stats);
        assertThat(listener.awaitEvents(2)).extracting(r -> r.event().name()).containsExactly("BEFORE", "AFTER");
        // The garbage that carried the held command's id answered nothing.
        assertThat(held).isNotDone();

        server.sendRaw(replyLine(1, id) + "\r\n");
        assertThat(value(held)).isEqualTo(expectedValue(1));
        assertThat(value(conn.send("query-status", null, null)).path("running").asBoolean()).isTrue();
        server.emit("LATER", null);
        assertThat(listener.awaitEvents(3).get(2).event().name()).isEqualTo("LATER");
        assertThat(conn.state()).isEqualTo(MonitorState.RUNNING);
        assertThat(conn.stats().malformedLines()).isEqualTo(6);
    }

    @Test
    void emptyLinesAreNeitherMessagesNorMalformed() throws Exception {
        FakeQmpServer server = h.server("vm");
        RecordingListener listener = new RecordingListener();
        MonitorConnection conn = h.connect(server, options(), listener);

        server.sendRaw("\r\n\n\r\n" + QmpLines.event("AFTER_BLANKS", null, 1, 1) + "\r\n").get();

        assertThat(listener.awaitEvents(1).get(0).event().name()).isEqualTo("AFTER_BLANKS");
        assertThat(conn.stats().malformedLines()).isZero();
    }

    static String replyLine(int cut, JsonNode id) {
        return "{\"return\": {\"cut\": " + cut + ", \"text\": \"" + TEXT + "\"}, \"id\": " + id + "}";
    }

    static JsonNode expectedValue(int cut) {
        return json("{\"cut\": " + cut + ", \"text\": \"" + TEXT + "\"}");
    }

    private static void write(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
    }
}
