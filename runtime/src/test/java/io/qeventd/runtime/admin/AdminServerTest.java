package io.qeventd.runtime.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qeventd.runtime.plugin.PluginLifecycle;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@SuppressWarnings("try") // a server only has to be running while the test talks to it
class AdminServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration IDLE = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    private static Map<String, Supplier<Object>> commands() {
        return Map.of(AdminProtocol.STATUS, () -> sampleReport());
    }

    static StatusReport sampleReport() {
        return new StatusReport("1.2.3", 42, "2026-11-25T10:00:00Z", 61,
                List.of(new DomainStatus("vm1", true, "running", "paused", 3, 17)),
                List.of(new PluginSummary("lifecycle", "0.1.0", PluginLifecycle.STARTED, 9, 1, 2, null)),
                Map.of("processed", 8L), Map.of("DEVICE_DELETED", 1L),
                new JournalStatus("/var/log/qeventd/journal.jsonl", "error", "No space left on device",
                        "2026-11-25T10:00:30Z", 12, 3, 0));
    }

    @Test
    void clientsThatConnectAndStaySilentCannotKeepStatusFromBeingAnswered() throws Exception {
        Path socket = dir.resolve("admin.sock");
        List<SocketChannel> silent = new ArrayList<>();
        try (AdminServer server = AdminServer.start(socket, commands(), Duration.ofMinutes(5))) {
            for (int i = 0; i < AdminServer.MAX_CONNECTIONS * 3; i++) {
                SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX);
                c.connect(UnixDomainSocketAddress.of(socket));
                silent.add(c);
            }
            assertThat(AdminClient.status(socket, Duration.ofSeconds(10))).isEqualTo(sampleReport());
        } finally {
            for (SocketChannel c : silent) {
                c.close();
            }
        }
    }

    @Test
    void statusSaysWhenTheJournalCannotBeWritten() {
        assertThat(StatusTable.lines(sampleReport())).contains("journal: /var/log/qeventd/journal.jsonl CANNOT WRITE"
                + " since 2026-11-25T10:00:30Z (No space left on device), 12 record(s) waiting, backlog 0, lost 3");
    }

    @Test
    void socketIsTheOwnersAloneAndGoesAwayOnClose() throws Exception {
        Path socket = dir.resolve("run/admin.sock");
        AdminServer server = AdminServer.start(socket, commands(), IDLE);
        try {
            assertThat(AdminSocketBinder.isSocket(socket)).isTrue();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rw-------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent())))
                    .isEqualTo("rwx------");
            try (var entries = Files.list(socket.getParent())) {
                assertThat(entries).containsExactly(socket);
            }
        } finally {
            server.close();
        }
        assertThat(socket).doesNotExist();
    }

    @Test
    void statusTravelsAsOneJsonLineAndReadsBackWhole() throws Exception {
        Path socket = dir.resolve("admin.sock");
        try (AdminServer server = AdminServer.start(socket, commands(), IDLE)) {
            assertThat(AdminClient.status(socket, Duration.ofSeconds(5))).isEqualTo(sampleReport());
        }
    }

    @Test
    void requestsOnOneConnectionAreAnsweredInOrderWithTheirIds() throws Exception {
        Path socket = dir.resolve("admin.sock");
        try (AdminServer server = AdminServer.start(socket, commands(), IDLE);
             SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            send(c, "{\"command\": \"ping\", \"id\": 1}\n{\"command\": \"status\", \"id\": \"two\"}\n");
            JsonNode first = readJson(c);
            JsonNode second = readJson(c);
            assertThat(first.get("return").isObject()).isTrue();
            assertThat(first.get("id").asInt()).isEqualTo(1);
            assertThat(second.at("/return/domains/0/name").asText()).isEqualTo("vm1");
            assertThat(second.get("id").asText()).isEqualTo("two");
        }
    }

    @Test
    void badRequestsAreAnsweredWithErrorsAndTheConnectionStaysUsable() throws Exception {
        Path socket = dir.resolve("admin.sock");
        try (AdminServer server = AdminServer.start(socket, commands(), IDLE);
             SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            send(c, "not json\n[1, 2]\n{\"id\": 3}\n{\"command\": \"reboot\"}\n{\"command\": \"ping\"}\n");
            assertThat(readJson(c).at("/error/class").asText()).isEqualTo("BadRequest");
            assertThat(readJson(c).at("/error/class").asText()).isEqualTo("BadRequest");
            JsonNode noCommand = readJson(c);
            assertThat(noCommand.at("/error/class").asText()).isEqualTo("BadRequest");
            assertThat(noCommand.get("id").asInt()).isEqualTo(3);
            JsonNode unknown = readJson(c);
            assertThat(unknown.at("/error/class").asText()).isEqualTo("UnknownCommand");
            assertThat(unknown.at("/error/desc").asText()).contains("reboot").contains("ping, status");
            assertThat(readJson(c).has("return")).isTrue();
        }
    }

    @Test
    void aCommandThatThrowsIsReportedAsCommandFailed() throws Exception {
        Path socket = dir.resolve("admin.sock");
        Map<String, Supplier<Object>> failing = Map.of("status", () -> {
            throw new IllegalStateException("plugin host is gone");
        });
        try (AdminServer server = AdminServer.start(socket, failing, IDLE)) {
            assertThatThrownBy(() -> AdminClient.status(socket, Duration.ofSeconds(5)))
                    .isInstanceOf(AdminException.class)
                    .isNotInstanceOf(AdminUnavailableException.class)
                    .hasMessageContaining("CommandFailed").hasMessageContaining("plugin host is gone");
        }
    }

    @Test
    void aSilentClientIsDisconnectedAfterTheIdleTimeout() throws Exception {
        Path socket = dir.resolve("admin.sock");
        try (AdminServer server = AdminServer.start(socket, commands(), Duration.ofMillis(200));
             SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            // Blocks until the server closes the connection: end of stream, not an answer.
            assertThat(c.read(ByteBuffer.allocate(16))).isEqualTo(-1);
        }
    }

    @Test
    void aTooLongRequestLineIsRefusedAndTheConnectionClosed() throws Exception {
        Path socket = dir.resolve("admin.sock");
        try (AdminServer server = AdminServer.start(socket, commands(), IDLE);
             SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            send(c, "x".repeat(AdminProtocol.MAX_LINE + 10));
            JsonNode answer = readJson(c);
            assertThat(answer.at("/error/desc").asText()).contains("longer than");
            assertThat(c.read(ByteBuffer.allocate(16))).isEqualTo(-1);
        }
    }

    @Test
    void aStaleSocketLeftByAKilledDaemonIsReplaced() throws Exception {
        Path socket = dir.resolve("admin.sock");
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(socket));
        }
        assertThat(socket).exists();
        try (AdminServer server = AdminServer.start(socket, commands(), IDLE)) {
            assertThat(AdminClient.status(socket, Duration.ofSeconds(5)).version()).isEqualTo("1.2.3");
        }
    }

    @Test
    void aSecondDaemonOnTheSameSocketIsRefusedAndTheFirstKeepsAnswering() throws Exception {
        Path socket = dir.resolve("admin.sock");
        try (AdminServer first = AdminServer.start(socket, commands(), IDLE)) {
            assertThatThrownBy(() -> AdminServer.start(socket, commands(), IDLE))
                    .isInstanceOf(AdminSocketException.class)
                    .hasMessageContaining("another qeventd daemon answers on admin socket " + socket);
            assertThat(AdminClient.status(socket, Duration.ofSeconds(5)).pid()).isEqualTo(42);
        }
    }

    @Test
    void aFileThatIsNotASocketIsLeftAloneAndRefused() throws Exception {
        Path socket = Files.writeString(dir.resolve("admin.sock"), "precious");
        assertThatThrownBy(() -> AdminServer.start(socket, commands(), IDLE))
                .isInstanceOf(AdminSocketException.class)
                .hasMessageContaining("not a socket");
        assertThat(socket).hasContent("precious");
    }

    @Test
    void clientSaysNoDaemonAnswersWhenTheSocketIsMissingOrDead() throws Exception {
        Path missing = dir.resolve("missing.sock");
        assertThatThrownBy(() -> AdminClient.status(missing, Duration.ofSeconds(1)))
                .isInstanceOf(AdminUnavailableException.class)
                .hasMessageContaining("no qeventd daemon answers on " + missing)
                .hasMessageContaining("does not exist");
        Path dead = dir.resolve("dead.sock");
        try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            s.bind(UnixDomainSocketAddress.of(dead));
        }
        assertThatThrownBy(() -> AdminClient.status(dead, Duration.ofSeconds(1)))
                .isInstanceOf(AdminUnavailableException.class)
                .hasMessageContaining("nobody listens there");
    }

    @Test
    void clientGivesUpOnADaemonThatDoesNotAnswer() throws Exception {
        Path socket = dir.resolve("mute.sock");
        try (ServerSocketChannel mute = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            mute.bind(UnixDomainSocketAddress.of(socket));
            // Connections queue in the backlog, never accepted, never answered.
            assertThatThrownBy(() -> AdminClient.status(socket, Duration.ofMillis(300)))
                    .isInstanceOf(AdminException.class)
                    .isNotInstanceOf(AdminUnavailableException.class)
                    .hasMessageContaining("did not answer in time");
        }
    }

    private static void send(SocketChannel c, String text) throws IOException {
        ByteBuffer out = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (out.hasRemaining()) {
            c.write(out);
        }
    }

    /** Reads one line, byte by byte, so that the next line stays in the socket for the next call. */
    private static JsonNode readJson(SocketChannel c) throws IOException {
        StringBuilder line = new StringBuilder();
        ByteBuffer one = ByteBuffer.allocate(1);
        while (true) {
            one.clear();
            if (c.read(one) < 0) {
                throw new IOException("closed after: " + line);
            }
            char ch = (char) one.get(0);
            if (ch == '\n') {
                return JSON.readTree(line.toString());
            }
            line.append(ch);
        }
    }
}
