package io.qeventd.runtime.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One client at a time, reconnects, shutdown. */
class FakeQmpServerConnectionTest {

    @TempDir
    Path dir;

    private FakeQmpServer server;

    @BeforeEach
    void startServer() throws Exception {
        server = FakeQmpServer.start(dir.resolve("qmp.sock"));
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void clientAfterADisconnectIsGreetedAndMustNegotiateAgain() throws Exception {
        try (RawQmpClient first = RawQmpClient.connectNegotiated(server.socket())) {
            assertThat(server.awaitClient(RawQmpClient.TIMEOUT)).isEqualTo(1);
            assertThat(server.disconnect()).isTrue();
            assertThat(first.readToEnd()).isEmpty();
        }
        try (RawQmpClient second = RawQmpClient.connect(server.socket())) {
            assertThat(second.readJson().has("QMP")).isTrue();
            second.send("{\"execute\": \"query-status\", \"id\": 1}");
            assertThat(second.readJson().at("/error/class").asText()).isEqualTo("CommandNotFound");
            second.send("{\"execute\": \"qmp_capabilities\"}");
            assertThat(second.readLine()).isEqualTo("{\"return\": {}}");
            assertThat(server.awaitClient(RawQmpClient.TIMEOUT)).isEqualTo(2);
            assertThat(server.emit("RESUME", null)).isTrue();
            assertThat(second.readJson().get("event").asText()).isEqualTo("RESUME");
        }
        assertThat(server.clientCount()).isEqualTo(2);
        assertThat(server.received()).extracting(ReceivedCommand::client).containsExactly(1, 2, 2);
    }

    @Test
    @SuppressWarnings("try") // first is closed early on purpose; closing it again is harmless
    void secondClientWaitsUntilTheFirstLeaves() throws Exception {
        try (RawQmpClient first = RawQmpClient.connectNegotiated(server.socket());
             RawQmpClient second = RawQmpClient.connect(server.socket())) {
            second.send("{\"execute\": \"qmp_capabilities\", \"id\": \"queued\"}");
            first.send("{\"execute\": \"query-status\", \"id\": 1}");
            assertThat(first.readJson().get("id").asInt()).isEqualTo(1);
            assertThat(server.clientCount()).isEqualTo(1);

            first.close();
            // Served only now: the greeting still comes before the answer to the command sent while waiting.
            assertThat(second.readJson().has("QMP")).isTrue();
            assertThat(second.readLine()).isEqualTo("{\"return\": {}, \"id\": \"queued\"}");
            assertThat(server.awaitClient(RawQmpClient.TIMEOUT)).isEqualTo(2);
        }
    }

    @Test
    @SuppressWarnings("try") // the client only has to be connected
    void afterQuitTheNextClientIsServed() throws Exception {
        try (RawQmpClient first = RawQmpClient.connectNegotiated(server.socket())) {
            first.send("{\"execute\": \"quit\"}");
            assertThat(first.readToEnd()).contains("SHUTDOWN");
        }
        try (RawQmpClient second = RawQmpClient.connectNegotiated(server.socket())) {
            assertThat(server.awaitClient(RawQmpClient.TIMEOUT)).isEqualTo(2);
        }
    }

    @Test
    @SuppressWarnings("try") // the client only has to be connected
    void outputQueuedForADisconnectedClientFails() throws Exception {
        try (RawQmpClient client = RawQmpClient.connectNegotiated(server.socket())) {
            server.awaitClient(RawQmpClient.TIMEOUT);
            var flood = server.flood(10_000_000, i -> "{\"never\": \"read\"}");
            server.disconnect();
            assertThat(flood).failsWithin(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void closeRemovesTheSocketFile() throws Exception {
        Path socket = server.socket();
        server.close();
        assertThat(socket).doesNotExist();
        assertThatThrownBy(() -> RawQmpClient.connect(socket)).isInstanceOf(IOException.class);
    }

    @Test
    @SuppressWarnings("try") // the client only has to be connected
    void aSocketFileLeftByADeadServerIsTakenOver() throws Exception {
        Path stale = dir.resolve("stale.sock");
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(stale)); // closing does not remove the file
        }
        assertThat(stale).exists();
        try (FakeQmpServer taker = FakeQmpServer.start(stale);
             RawQmpClient client = RawQmpClient.connectNegotiated(stale)) {
            assertThat(taker.awaitClient(RawQmpClient.TIMEOUT)).isEqualTo(1);
        }
    }
}
