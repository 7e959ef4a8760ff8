package io.qeventd.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qeventd.runtime.daemon.Daemon;
import io.qeventd.runtime.journal.Outcome;
import io.qeventd.runtime.testing.DaemonFixture;
import io.qeventd.runtime.testing.Eventually;
import io.qeventd.testkit.qmp.FakeQmpServer;
import io.qeventd.testkit.qmp.QmpLines;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Followers that stop reading (their process stopped with SIGSTOP) during a flood: the daemon journals every event
 * meanwhile, losing none, and each follower, once it reads again, gets the records that fitted, in order and without
 * a gap, then a line saying how many it missed (text and JSON forms), and exits 3. (The exact count is checked in
 * {@code EventsStreamTest}.)
 */
class EventsSlowClientTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final int FLOOD = 20_000;
    private static final Pattern CUT_OFF =
            Pattern.compile("cut off: this client fell more than 100 records behind; (\\d+) record\\(s\\) missed");

    @TempDir
    Path dir;

    @Test
    void aFollowerThatStopsReadingIsCutOffWithTheCountItMissedWhileTheDaemonJournalsEveryEvent() throws Exception {
        Path vm1 = dir.resolve("vm1.qmp");
        try (FakeQmpServer qemu = FakeQmpServer.start(vm1);
             DaemonFixture fixture = DaemonFixture.in(dir).domain("vm1", vm1)
                     .yaml("events:\n  clientBuffer: 100")) {
            Daemon daemon = fixture.start();
            qemu.awaitClient(DEADLINE);
            fixture.awaitConnected("vm1", DEADLINE);
            String socket = fixture.adminSocket.toString();
            try (QeventdProcess text = QeventdProcess.start(dir.resolve("text"), "events", "--follow",
                    "--socket", socket);
                 QeventdProcess json = QeventdProcess.start(dir.resolve("json"), "events", "--follow",
                         "--socket", socket, "--json", "--event", "SEQ")) {
                awaitFollowing(text);
                awaitFollowing(json);
                text.signal("STOP");
                json.signal("STOP");

                qemu.flood(FLOOD, i -> QmpLines.event("SEQ", Map.of("n", i), 1, i)).get();
                Eventually.await("every event journaled while the followers read nothing", DEADLINE,
                        () -> daemon.journal().counts().get(Outcome.UNHANDLED), n -> n == FLOOD);
                assertThat(daemon.journal().flush(DEADLINE)).isTrue();
                assertThat(daemon.journal().lost()).as("records lost on the journal's queue").isZero();
                assertThat(daemon.journal().counts().get(Outcome.LOST)).isZero();
                assertThat(Files.readAllLines(fixture.journal)).hasSize(FLOOD);

                text.signal("CONT");
                json.signal("CONT");
                assertThat(text.awaitExit(DEADLINE)).as(text.err()).isEqualTo(EventsCommand.CUT_OFF);
                assertThat(json.awaitExit(DEADLINE)).as(json.err()).isEqualTo(EventsCommand.CUT_OFF);
            }
            List<String> textLines = Files.readAllLines(dir.resolve("text/stdout.txt"));
            Matcher m = CUT_OFF.matcher(textLines.get(textLines.size() - 1));
            assertThat(m.matches()).as("the last line: %s", textLines.get(textLines.size() - 1)).isTrue();
            long textMissed = Long.parseLong(m.group(1));
            List<String> textRecords = textLines.subList(0, textLines.size() - 1);
            assertThat(textRecords).allMatch(l -> l.contains("  vm1  SEQ  -  unhandled  "));
            assertThat(textMissed).isPositive();
            // Missed counts to the end of the stream; records after the cut-off line are no longer this client's.
            assertThat(textRecords.size() + textMissed).isLessThanOrEqualTo(FLOOD);

            List<String> jsonLines = Files.readAllLines(dir.resolve("json/stdout.txt"));
            JsonNode last = JSON.readTree(jsonLines.get(jsonLines.size() - 1));
            assertThat(last.path("cut-off").path("buffer").asInt()).isEqualTo(100);
            long jsonMissed = last.path("cut-off").path("missed").asLong();
            List<String> jsonRecords = jsonLines.subList(0, jsonLines.size() - 1);
            assertThat(jsonMissed).isPositive();
            assertThat(jsonRecords.size() + jsonMissed).isLessThanOrEqualTo(FLOOD);
            assertThat(jsonRecords.size()).as("the records that fitted, at most the socket's and the buffer's worth")
                    .isLessThan(FLOOD);
            for (int i = 0; i < jsonRecords.size(); i++) {
                JsonNode r = JSON.readTree(jsonRecords.get(i));
                assertThat(r.path("seq").asLong()).as("records in order, none skipped before the cut").isEqualTo(i + 1);
            }
        }
    }

    private static void awaitFollowing(QeventdProcess p) {
        Eventually.await("the client follows", DEADLINE, () -> {
            assertThat(p.isAlive()).as("the client runs:\n%s", p.err()).isTrue();
            return p.err().contains("following the daemon on");
        });
    }
}
