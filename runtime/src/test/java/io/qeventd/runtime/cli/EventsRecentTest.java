package io.qeventd.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qeventd.runtime.admin.AdminClient;
import io.qeventd.runtime.admin.AdminException;
import io.qeventd.runtime.admin.AdminProtocol;
import io.qeventd.runtime.daemon.Daemon;
import io.qeventd.runtime.testing.DaemonFixture;
import io.qeventd.runtime.testing.Eventually;
import io.qeventd.testkit.qmp.FakeQmpServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code qeventd events} without {@code --follow}: the recent ring, bounded by {@code events.recent}, then exit. */
class EventsRecentTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void withoutFollowTheLastRecentRecordsArePrintedOldestFirstThenTheCommandExits() throws Exception {
        Path vm1 = dir.resolve("vm1.qmp");
        try (FakeQmpServer qemu = FakeQmpServer.start(vm1);
             DaemonFixture fixture = DaemonFixture.in(dir).domain("vm1", vm1).yaml("events:\n  recent: 5")) {
            Daemon daemon = fixture.start();
            qemu.awaitClient(DEADLINE);
            fixture.awaitConnected("vm1", DEADLINE);
            for (int i = 1; i <= 12; i++) {
                qemu.emit("E" + i, Map.of("n", i));
            }
            Eventually.await("12 records journaled", DEADLINE, () -> daemon.journal().counts().values().stream()
                    .mapToLong(Long::longValue).sum(), n -> n == 12);
            assertThat(daemon.journal().flush(DEADLINE)).isTrue();

            Cli text = Cli.run("events", "--socket", fixture.adminSocket.toString());
            Cli json = Cli.run("events", "--config", fixture.writeConfig().toString(), "--json", "--data");
            Cli one = Cli.run("events", "--socket", fixture.adminSocket.toString(), "--event", "E10", "--event", "E3");

            assertThat(text.exit()).as(text.err()).isZero();
            assertThat(lines(text.out())).extracting(l -> l.split("  ")[2])
                    .containsExactly("E8", "E9", "E10", "E11", "E12");
            assertThat(lines(text.out())).allMatch(l -> l.matches("\\S+Z  vm1  E\\d+  -  unhandled  -"));
            assertThat(json.exit()).as(json.err()).isZero();
            List<JsonNode> records = lines(json.out()).stream().map(EventsRecentTest::parse).toList();
            assertThat(records).extracting(r -> r.path("event").asText() + " " + r.path("data").path("n").asInt())
                    .containsExactly("E8 8", "E9 9", "E10 10", "E11 11", "E12 12");
            assertThat(one.exit()).as(one.err()).isZero();
            assertThat(lines(one.out())).hasSize(1).allMatch(l -> l.contains("  E10  "));
        }
    }

    @Test
    void anUnknownOutcomeIsAUsageErrorNamingTheValueAndTheValidOnes() throws Exception {
        Cli cli = Cli.run("events", "--socket", dir.resolve("any.sock").toString(), "--outcome", "handled");

        assertThat(cli.exit()).isEqualTo(Main.USAGE);
        assertThat(cli.err()).contains("unknown outcome 'handled'; valid outcomes: processed, skipped, coalesced,"
                + " failed, overflow, slow, unhandled, lost");
    }

    @Test
    void theDaemonRefusesBadArgumentsOfARawClientNamingThem() throws Exception {
        try (DaemonFixture fixture = DaemonFixture.in(dir)) {
            fixture.start();

            assertThatThrownBy(() -> AdminClient.stream(fixture.adminSocket, AdminProtocol.EVENTS,
                    JSON.readTree("{\"follow\": true, \"outcome\": [\"failed\", \"bogus\"]}"), DEADLINE))
                    .isInstanceOf(AdminException.class)
                    .hasMessageContaining("InvalidArguments: events: unknown outcome 'bogus'; valid outcomes:"
                            + " processed, skipped");
            assertThatThrownBy(() -> AdminClient.stream(fixture.adminSocket, AdminProtocol.EVENTS,
                    JSON.readTree("{\"follow\": \"yes\"}"), DEADLINE))
                    .hasMessageContaining("\"follow\" must be true or false, got \"yes\"");
        }
    }

    @Test
    void noDaemonIsARuntimeFailureNamingTheSocket() {
        Path socket = dir.resolve("nobody.sock");

        Cli cli = Cli.run("events", "--follow", "--socket", socket.toString());

        assertThat(cli.exit()).isEqualTo(Main.FAILURE);
        assertThat(cli.err()).contains("qeventd events: no qeventd daemon answers on " + socket);
    }

    private static List<String> lines(String out) {
        return Arrays.stream(out.split("\n")).filter(l -> !l.isBlank()).toList();
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }
}
