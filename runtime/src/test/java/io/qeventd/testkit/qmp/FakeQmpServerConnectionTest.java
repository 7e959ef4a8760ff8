package io.qeventd.testkit.qmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import io.qeventd.runtime.testing.FakeQmpFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** One client at a time, reconnects, shutdown. */
class FakeQmpServerConnectionTest {

    @RegisterExtension
    final FakeQmpFixture fake = new FakeQmpFixture();

    @Test
    void clientAfterADisconnectIsGreetedAndMustNegotiateAgain() throws Exception {
        try (RawQmpClient first = RawQmpClient.connectNegotiated(fake.server().socket())) {
            assertThat(fake.server().awaitClient(RawQmpClient.TIMEOUT)).isEqualTo(1);
            assertThat(fake.server().disconnect()).isTrue();
            assertThat(first.readToEnd()).isEmpty();
        }
        try (RawQmpClient second = RawQmpClient.connect(fake.server().socket())) {
            assertThat(second.readJson().has("QMP")).isTrue();
            second.send("{\"execute\": \"query-status\", \"id\": 1}");
            assertThat(second.readJson().at("/error/class").asText()).isEqualTo("CommandNotFound");
            second.send("{\"execute\": \"qmp_capabilities\"}");
            assertThat(second.readLine()).isEqualTo("{\"return\": {}}");
            assertThat(fake.server().awaitClient(RawQmpClient.TIMEOUT)).isEqualTo(2);
            assertThat(fake.server().emit("RESUME", null)).isTrue();
            assertThat(second.readJson().get("event").asText()).isEqualTo("RESUME");
        }
        assertThat(fake.server().clientCount()).isEqualTo(2);
        assertThat(fake.server().received()).extracting(ReceivedCommand::client).containsExactly(1, 2, 2);
    }

    @Test
    @SuppressWarnings("try") // first is closed early on purpose; closing it again is harmless
    void secondClientWaitsUntilTheFirstLeaves() throws Exception {
        try (RawQmpClient first = RawQmpClient.connectNegotiated(fake.server().socket());
             RawQmpClient second = RawQmpClient.connect(fake.server().socket())) {
            second.send("{\"execute\": \"qmp_capabilities\", \"id\": \"queued\"}");
            first.send("{\"execute\": \"query-status\", \"id\": 1}");
            assertThat(first.readJson().get("id").asInt()).isEqualTo(1);
            assertThat(fake.server().clientCount()).isEqualTo(1);

            first.close();
            // Served only now: the greeting still comes before the answer to the command sent while waiting.
            assertThat(second.readJson().has("QMP")).isTrue();
            assertThat(second.readLine()).isEqualTo("{\"return\": {}, \"id\": \"queued\"}");
            assertThat(fake.server().awaitClient(RawQmpClient.TIMEOUT)).isEqualTo(2);
        }
    }

    @Test
    @SuppressWarnings("try") // the client only has to be connected
    void afterQuitTheNextClientIsServed() throws Exception {
        try (RawQmpClient first = RawQmpClient.connectNegotiated(fake.server().socket())) {
            first.send("{\"execute\": \"quit\"}");
            assertThat(first.readToEnd()).contains("SHUTDOWN");
        }
        try (RawQmpClient second = RawQmpClient.connectNegotiated(fake.server().socket())) {
            assertThat(fake.server().awaitClient(RawQmpClient.TIMEOUT)).isEqualTo(2);
        }
    }

    @Test
    @SuppressWarnings("try") // the client only has to be connected
    void outputQueuedForADisconnectedClientFails() throws Exception {
        try (RawQmpClient client = RawQmpClient.connectNegotiated(fake.server().socket())) {
            fake.server().awaitClient(RawQmpClient.TIMEOUT);
            var flood = fake.server().flood(10_000_000, i -> "{\"never\": \"read\"}");
            fake.server().disconnect();
            assertThat(flood).failsWithin(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void closeRemovesTheSocketFile() throws Exception {
        Path socket = fake.server().socket();
        fake.server().close();
        assertThat(socket).doesNotExist();
        assertThatThrownBy(() -> RawQmpClient.connect(socket)).isInstanceOf(IOException.class);
    }

    @Test
    @SuppressWarnings("try") // the client only has to be connected
    void aSocketFileLeftByADeadServerIsTakenOver() throws Exception {
        Path stale = fake.dir().resolve("stale.sock");
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
