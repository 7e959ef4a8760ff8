package io.qeventd.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qeventd.runtime.daemon.Daemon;
import io.qeventd.runtime.testing.DaemonFixture;
import io.qeventd.runtime.testing.DaemonPlugins;
import io.qeventd.runtime.testing.Eventually;
import io.qeventd.runtime.testing.Qemu;
import io.qeventd.runtime.testing.QemuRawQmp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code qeventd events --follow} against a daemon watching two real QEMUs: two clients with different filters,
 * each sees exactly the journal records its filter selects, in the journal's order.
 */
class EventsFollowTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void twoFollowersWithDifferentFiltersEachSeeExactlyWhatTheirFilterSelectsInOrder() throws Exception {
        try (Qemu vm1 = Qemu.builder().paused().qmpSocket("daemon").qmpSocket("test").start();
             Qemu vm2 = Qemu.builder().paused().qmpSocket("daemon").qmpSocket("test").start();
             DaemonFixture fixture = DaemonFixture.in(dir).domain("vm1", vm1.qmpSocket("daemon"))
                     .domain("vm2", vm2.qmpSocket("daemon"))) {
            DaemonPlugins.runState(fixture.pluginsDir);
            Daemon daemon = fixture.start();
            fixture.awaitConnected("vm1", DEADLINE);
            fixture.awaitConnected("vm2", DEADLINE);
            String socket = fixture.adminSocket.toString();
            try (QeventdProcess stops = QeventdProcess.start(dir.resolve("stops"), "events", "--follow",
                    "--socket", socket, "--domain", "vm1", "--event", "STOP");
                 QeventdProcess unhandled = QeventdProcess.start(dir.resolve("unhandled"), "events", "--follow",
                         "--socket", socket, "--outcome", "unhandled", "--json", "--data");
                 QemuRawQmp qmp1 = QemuRawQmp.connect(vm1.qmpSocket("test"), DEADLINE);
                 QemuRawQmp qmp2 = QemuRawQmp.connect(vm2.qmpSocket("test"), DEADLINE)) {
                awaitFollowing(stops);
                awaitFollowing(unhandled);

                for (String command : List.of("cont", "stop", "system_reset", "cont", "stop")) {
                    qmp1.execute(command);
                }
                awaitRecords(daemon, 5);
                for (String command : List.of("cont", "system_reset", "stop")) {
                    qmp2.execute(command);
                }
                awaitRecords(daemon, 8);
                assertThat(daemon.journal().flush(DEADLINE)).isTrue();
                List<JsonNode> journal = lines(fixture.journal);
                List<JsonNode> expectedStops = select(journal,
                        r -> r.path("domain").asText().equals("vm1") && r.path("event").asText().equals("STOP"));
                List<JsonNode> expectedUnhandled = select(journal, r -> r.path("outcome").asText().equals("unhandled"));
                assertThat(expectedStops).hasSize(2);
                assertThat(expectedUnhandled).extracting(r -> r.path("domain").asText() + " " + r.path("event").asText())
                        .containsExactly("vm1 RESET", "vm2 RESET");

                Eventually.await("the STOP follower printed both", DEADLINE,
                        () -> out(stops).size() >= expectedStops.size());
                Eventually.await("the unhandled follower printed both", DEADLINE,
                        () -> out(unhandled).size() >= expectedUnhandled.size());
                stops.terminate();
                unhandled.terminate();
                assertThat(stops.awaitExit(DEADLINE)).as(stops.err()).isZero();
                assertThat(unhandled.awaitExit(DEADLINE)).as(unhandled.err()).isZero();

                List<String> stopLines = out(stops);
                assertThat(stopLines).hasSize(2);
                for (int i = 0; i < 2; i++) {
                    JsonNode r = expectedStops.get(i);
                    assertThat(stopLines.get(i)).isEqualTo(r.path("time").asText() + "  vm1  STOP  run-state  processed  "
                            + latency(r.path("latencyMicros").asLong()) + "  saw STOP");
                }

                List<String> unhandledLines = out(unhandled);
                assertThat(unhandledLines).hasSize(2);
                for (int i = 0; i < 2; i++) {
                    ObjectNode printed = (ObjectNode) JSON.readTree(unhandledLines.get(i));
                    assertThat(printed.path("data").path("reason").asText()).isEqualTo("host-qmp-system-reset");
                    printed.remove("data");
                    assertThat(printed).as("the journal's own spelling of the record").isEqualTo(expectedUnhandled.get(i));
                }
            }
        }
    }

    private static String latency(long micros) {
        return micros < 1000 ? micros + "us" : micros < 1_000_000
                ? String.format(java.util.Locale.ROOT, "%.1fms", micros / 1000.0)
                : String.format(java.util.Locale.ROOT, "%.2fs", micros / 1_000_000.0);
    }

    private static void awaitFollowing(QeventdProcess p) {
        Eventually.await("the client follows", DEADLINE, () -> {
            assertThat(p.isAlive()).as("the client runs:\n%s", p.err()).isTrue();
            return p.err().contains("following the daemon on");
        });
    }

    private static void awaitRecords(Daemon daemon, long n) {
        Eventually.await(n + " records journaled", DEADLINE, () -> daemon.journal().counts().values().stream()
                .mapToLong(Long::longValue).sum(), total -> total >= n);
    }

    private static List<JsonNode> select(List<JsonNode> records, Predicate<JsonNode> which) {
        return records.stream().filter(which).toList();
    }

    private static List<JsonNode> lines(Path file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            out.add(JSON.readTree(line));
        }
        return out;
    }

    private static List<String> out(QeventdProcess p) {
        try {
            return Files.readAllLines(p.stdout).stream().filter(l -> !l.isBlank()).toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
