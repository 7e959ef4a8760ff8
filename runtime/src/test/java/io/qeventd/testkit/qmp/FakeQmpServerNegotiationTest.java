package io.qeventd.testkit.qmp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Greeting and capabilities negotiation, as QEMU 7.2 does them. */
class FakeQmpServerNegotiationTest {

    @TempDir
    Path dir;

    private FakeQmpServer server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void greetsLikeQemuAndAcceptsNegotiationOnce() throws Exception {
        server = FakeQmpServer.start(dir.resolve("qmp.sock"));
        try (RawQmpClient client = RawQmpClient.connect(server.socket())) {
            String greeting = client.readRawLine();
            assertThat(greeting).endsWith("}\r\n");
            JsonNode qmp = RawQmpClient.json(greeting).get("QMP");
            assertThat(qmp.at("/version/qemu/major").asInt()).isEqualTo(7);
            assertThat(qmp.at("/version/qemu/minor").asInt()).isEqualTo(2);
            assertThat(qmp.at("/version/qemu/micro").asInt()).isZero();
            assertThat(qmp.at("/version/package").isTextual()).isTrue();
            assertThat(qmp.get("capabilities").toString()).isEqualTo("[\"oob\"]");

            client.send("{\"execute\": \"qmp_capabilities\", \"id\": 1}");
            assertThat(client.readRawLine()).isEqualTo("{\"return\": {}, \"id\": 1}\r\n");
            assertThat(server.awaitClient(RawQmpClient.TIMEOUT)).isEqualTo(1);

            client.send("{\"execute\": \"qmp_capabilities\", \"id\": 2}");
            assertThat(client.readLine()).isEqualTo("{\"id\": 2, \"error\": {\"class\": \"CommandNotFound\", "
                    + "\"desc\": \"Capabilities negotiation is already complete, command ignored\"}}");
        }
    }

    @Test
    void refusesCommandsAndDropsEventsBeforeNegotiation() throws Exception {
        server = FakeQmpServer.start(dir.resolve("qmp.sock"));
        try (RawQmpClient client = RawQmpClient.connect(server.socket())) {
            client.readLine(); // the greeting: the server has taken this client

            client.send("{\"execute\": \"query-status\", \"id\": \"early\"}");
            assertThat(client.readLine()).isEqualTo("{\"id\": \"early\", \"error\": {\"class\": \"CommandNotFound\", "
                    + "\"desc\": \"Expecting capabilities negotiation with 'qmp_capabilities'\"}}");
            assertThat(server.emit("LOST_BEFORE_NEGOTIATION", null)).isFalse();

            client.send("{\"execute\": \"qmp_capabilities\"}");
            assertThat(client.readLine()).isEqualTo("{\"return\": {}}");
            assertThat(server.emit("DELIVERED", null)).isTrue();
            // Dropped, not queued: the first event the client sees is the one sent after negotiation.
            assertThat(client.readJson().get("event").asText()).isEqualTo("DELIVERED");
        }
        assertThat(server.received()).extracting(ReceivedCommand::command)
                .containsExactly("query-status", "qmp_capabilities");
    }

    @Test
    void withheldGreetingLeavesTheReplyAsTheFirstLine() throws Exception {
        server = FakeQmpServer.builder().withholdGreeting().start(dir.resolve("qmp.sock"));
        try (RawQmpClient client = RawQmpClient.connect(server.socket())) {
            client.send("{\"execute\": \"qmp_capabilities\", \"id\": \"first\"}");
            assertThat(client.readLine()).isEqualTo("{\"return\": {}, \"id\": \"first\"}");
        }
    }

    @Test
    void bytesBeforeTheGreetingArriveFirst() throws Exception {
        String early = QmpLines.event("RESUME", null, 12, 34) + "\r\n";
        server = FakeQmpServer.builder()
                .beforeGreeting(early.getBytes(StandardCharsets.UTF_8))
                .start(dir.resolve("qmp.sock"));
        try (RawQmpClient client = RawQmpClient.connect(server.socket())) {
            assertThat(client.readRawLine()).isEqualTo(
                    "{\"timestamp\": {\"seconds\": 12, \"microseconds\": 34}, \"event\": \"RESUME\"}\r\n");
            assertThat(client.readJson().has("QMP")).isTrue();
        }
    }

    @Test
    void customGreetingAndLfLineEndingAreUsed() throws Exception {
        String greeting = QmpLines.greeting(9, 1, 3, "custom");
        server = FakeQmpServer.builder().greeting(greeting).lineEnding(LineEnding.LF).start(dir.resolve("qmp.sock"));
        try (RawQmpClient client = RawQmpClient.connect(server.socket())) {
            assertThat(client.readRawLine()).isEqualTo(greeting + "\n");
            client.send("{\"execute\": \"qmp_capabilities\"}");
            assertThat(client.readRawLine()).isEqualTo("{\"return\": {}}\n");
        }
    }

    @Test
    void malformedInputIsAnsweredLikeQemuAndTheConnectionSurvives() throws Exception {
        server = FakeQmpServer.start(dir.resolve("qmp.sock"));
        try (RawQmpClient client = RawQmpClient.connect(server.socket())) {
            client.readLine();
            client.send("garbage");
            assertThat(client.readJson().at("/error/desc").asText()).startsWith("JSON parse error, ");
            client.send("[1]");
            assertThat(client.readLine()).isEqualTo(
                    "{\"error\": {\"class\": \"GenericError\", \"desc\": \"QMP input must be a JSON object\"}}");
            client.send("{\"execute\": \"query-status\", \"id\": 7, \"foo\": 1}");
            assertThat(client.readLine()).isEqualTo(
                    "{\"id\": 7, \"error\": {\"class\": \"GenericError\", \"desc\": \"QMP input member 'foo' is unexpected\"}}");
            client.send("{\"execute\": \"query-status\", \"arguments\": [1]}");
            assertThat(client.readJson().at("/error/desc").asText())
                    .isEqualTo("QMP input member 'arguments' must be an object");

            client.send("{\"execute\": \"qmp_capabilities\"}");
            assertThat(client.readLine()).isEqualTo("{\"return\": {}}");
        }
        assertThat(server.received()).extracting(ReceivedCommand::command).containsExactly("qmp_capabilities");
    }
}
