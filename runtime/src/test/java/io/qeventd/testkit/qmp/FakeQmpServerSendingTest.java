package io.qeventd.testkit.qmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the server sends on its own: events, raw bytes, split frames, floods. */
class FakeQmpServerSendingTest {

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
    void emittedEventsCarryTheirDataAndTimestamp() throws Exception {
        server = FakeQmpServer.start(dir.resolve("qmp.sock"));
        try (RawQmpClient client = RawQmpClient.connectNegotiated(server.socket())) {
            assertThat(server.emit("DEVICE_DELETED", Map.of("device", "tablet0"), -1, -1)).isTrue();
            assertThat(client.readRawLine()).isEqualTo("{\"timestamp\": {\"seconds\": -1, \"microseconds\": -1}, "
                    + "\"event\": \"DEVICE_DELETED\", \"data\": {\"device\": \"tablet0\"}}\r\n");

            long before = System.currentTimeMillis() / 1000;
            server.emit("POWERDOWN", null);
            var event = client.readJson();
            assertThat(event.has("data")).isFalse();
            assertThat(event.at("/timestamp/seconds").asLong()).isBetween(before, before + 60);
            assertThat(event.at("/timestamp/microseconds").asLong()).isBetween(0L, 999_999L);
        }
    }

    @Test
    void rawBytesArriveVerbatimEvenBeforeNegotiation() throws Exception {
        server = FakeQmpServer.start(dir.resolve("qmp.sock"));
        try (RawQmpClient client = RawQmpClient.connect(server.socket())) {
            client.readLine();
            server.sendRaw("not json at all\n{\"half\": ").get(5, TimeUnit.SECONDS);
            server.sendRaw("true}\n".getBytes(StandardCharsets.UTF_8));
            assertThat(client.readRawLine()).isEqualTo("not json at all\n");
            assertThat(client.readRawLine()).isEqualTo("{\"half\": true}\n");
        }
    }

    @Test
    void splitSendArrivesAsSeparateReads() throws Exception {
        // A generous pause so the reader takes each piece before the next is written, even on a busy machine.
        server = FakeQmpServer.builder().splitPause(Duration.ofMillis(150)).start(dir.resolve("qmp.sock"));
        byte[] line = (QmpLines.event("STOP", null, 1, 2) + "\r\n").getBytes(StandardCharsets.UTF_8);
        try (RawQmpClient client = RawQmpClient.connectNegotiated(server.socket())) {
            CompletableFuture<Void> sent = server.sendSplit(line, 1, 30);
            assertThat(client.readChunk()).isEqualTo(Arrays.copyOfRange(line, 0, 1));
            assertThat(client.readChunk()).isEqualTo(Arrays.copyOfRange(line, 1, 30));
            assertThat(client.readChunk()).isEqualTo(Arrays.copyOfRange(line, 30, line.length));
            sent.get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    @SuppressWarnings("try") // the client only has to be connected
    void splitOffsetsMustRiseWithinTheMessage() throws Exception {
        server = FakeQmpServer.start(dir.resolve("qmp.sock"));
        try (RawQmpClient client = RawQmpClient.connectNegotiated(server.socket())) {
            byte[] bytes = new byte[10];
            assertThatThrownBy(() -> server.sendSplit(bytes, 5, 5)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> server.sendSplit(bytes, 0)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> server.sendSplit(bytes, 10)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void floodDeliversEveryLineInOrder() throws Exception {
        server = FakeQmpServer.start(dir.resolve("qmp.sock"));
        int count = 200_000;
        try (RawQmpClient client = RawQmpClient.connectNegotiated(server.socket())) {
            CompletableFuture<Void> flooded = server.flood(count,
                    i -> QmpLines.event("RTC_CHANGE", Map.of("offset", i), 1, i % 1_000_000));
            server.emit("AFTER_FLOOD", null);
            for (int i = 0; i < count; i++) {
                assertThat(client.readLine()).endsWith("\"data\": {\"offset\": " + i + "}}");
            }
            assertThat(client.readJson().get("event").asText()).isEqualTo("AFTER_FLOOD");
            flooded.get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aFailingFloodFailsItsFutureAndTheConnectionCarriesOn() throws Exception {
        server = FakeQmpServer.start(dir.resolve("qmp.sock"));
        try (RawQmpClient client = RawQmpClient.connectNegotiated(server.socket())) {
            CompletableFuture<Void> flooded = server.flood(10, i -> {
                throw new IllegalStateException("line " + i + " cannot be made");
            });
            assertThat(flooded).failsWithin(5, TimeUnit.SECONDS);
            client.send("{\"execute\": \"query-status\", \"id\": 1}");
            assertThat(client.readJson().get("id").asInt()).isEqualTo(1);
        }
    }

    @Test
    void sendingWithoutAClientIsRefusedAndEventsAreDropped() throws Exception {
        server = FakeQmpServer.start(dir.resolve("qmp.sock"));
        assertThatThrownBy(() -> server.sendRaw("x")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no QMP client is connected to " + server.socket());
        assertThat(server.emit("STOP", null)).isFalse();
    }
}
