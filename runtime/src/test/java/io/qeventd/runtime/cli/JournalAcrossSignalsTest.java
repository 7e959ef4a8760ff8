package io.qeventd.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qeventd.testkit.qmp.FakeQmpServer;
import io.qeventd.testkit.qmp.QmpLines;
import io.qeventd.runtime.testing.DaemonFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal of a real daemon process across SIGKILL, SIGHUP and SIGTERM under a flood: no record torn or
 * merged, files reopened, and every outcome counted is written or reported lost.
 */
class JournalAcrossSignalsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START = Duration.ofSeconds(30);
    private static final Pattern ACCOUNTING =
            Pattern.compile("stopped; journal: (\\d+) outcome\\(s\\) counted, (\\d+) written to \\S+, (\\d+) lost");

    @TempDir
    Path dir;

    @Test
    void aSigkillMidStreamThenARestartLeavesNoTornOrMergedRecord() throws Exception {
        Path vm1 = dir.resolve("vm1.qmp");
        DaemonFixture fixture = DaemonFixture.in(dir).domain("vm1", vm1);
        Path config = fixture.writeConfig();
        try (FakeQmpServer qemu = FakeQmpServer.start(vm1)) {
            try (QeventdProcess first = QeventdProcess.start(dir.resolve("first"), "run", "--config", config.toString())) {
                qemu.awaitClient(START);
                qemu.flood(400_000, i -> QmpLines.event("SEQ", Map.of("n", i), 1, i % 1_000_000));
                awaitSize(fixture.journal, first, n -> n > 2_000_000);
                first.kill();
            }
            qemu.disconnect();
            try (QeventdProcess second = QeventdProcess.start(dir.resolve("second"), "run", "--config",
                    config.toString())) {
                qemu.awaitClient(START);
                qemu.emit("AFTER_RESTART", null);
                awaitLine(fixture.journal, second, "AFTER_RESTART");
                second.terminate();
                assertThat(second.awaitExit(START)).as(second.err()).isEqualTo(Main.OK);
            }
        }
        List<JsonNode> records = parseEvery(fixture.journal);
        assertThat(records).isNotEmpty();
        assertThat(records.get(records.size() - 1).get("event").asText()).isEqualTo("AFTER_RESTART");
    }

    @Test
    void sighupReopensTheJournalAndTheDaemonRunsOn() throws Exception {
        Path vm1 = dir.resolve("vm1.qmp");
        DaemonFixture fixture = DaemonFixture.in(dir).domain("vm1", vm1);
        Path config = fixture.writeConfig();
        Path rotated = fixture.journal.resolveSibling("journal.jsonl.1");
        try (FakeQmpServer qemu = FakeQmpServer.start(vm1);
             QeventdProcess qeventd = QeventdProcess.start(dir, "run", "--config", config.toString())) {
            qemu.awaitClient(START);
            qemu.emit("BEFORE_ROTATE", null);
            awaitLine(fixture.journal, qeventd, "BEFORE_ROTATE");
            Files.move(fixture.journal, rotated);
            qeventd.signal("HUP");
            awaitExists(fixture.journal, qeventd);
            qemu.emit("AFTER_ROTATE", null);
            awaitLine(fixture.journal, qeventd, "AFTER_ROTATE");
            assertThat(qeventd.isAlive()).isTrue();
            qeventd.terminate();
            assertThat(qeventd.awaitExit(START)).as(qeventd.err()).isEqualTo(Main.OK);
            assertThat(qeventd.err()).contains("reopened");
        }
        assertThat(parseEvery(rotated)).extracting(n -> n.get("event").asText()).containsExactly("BEFORE_ROTATE");
        assertThat(parseEvery(fixture.journal)).extracting(n -> n.get("event").asText()).containsExactly("AFTER_ROTATE");
    }

    @Test
    void sigtermUnderAFloodWritesEveryCountedOutcomeOrReportsItLost() throws Exception {
        Path vm1 = dir.resolve("vm1.qmp");
        DaemonFixture fixture = DaemonFixture.in(dir).domain("vm1", vm1);
        Path config = fixture.writeConfig();
        try (FakeQmpServer qemu = FakeQmpServer.start(vm1);
             QeventdProcess qeventd = QeventdProcess.start(dir, "run", "--config", config.toString())) {
            qemu.awaitClient(START);
            qemu.flood(400_000, i -> QmpLines.event("SEQ", Map.of("n", i), 1, i % 1_000_000));
            awaitSize(fixture.journal, qeventd, n -> n > 1_000_000);
            qeventd.terminate();
            assertThat(qeventd.awaitExit(START)).as(qeventd.err()).isEqualTo(Main.OK);
            Matcher m = ACCOUNTING.matcher(qeventd.err());
            assertThat(m.find()).as("the stop accounts for the journal:\n%s", qeventd.err()).isTrue();
            long counted = Long.parseLong(m.group(1));
            long written = Long.parseLong(m.group(2));
            long lost = Long.parseLong(m.group(3));
            List<JsonNode> records = parseEvery(fixture.journal);
            long outcomes = records.stream().filter(r -> !r.get("outcome").asText().equals("lost")).count();
            assertThat(outcomes).isEqualTo(written);
            assertThat(written + lost).isEqualTo(counted);
            assertThat(counted).isPositive();
        }
    }

    /** Every line is one whole JSON object: a torn or merged record fails here. */
    private static List<JsonNode> parseEvery(Path file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        int n = 0;
        for (String line : Files.readAllLines(file)) {
            n++;
            try {
                out.add(JSON.readTree(line));
            } catch (IOException e) {
                throw new AssertionError(file + ":" + n + " is not one JSON record: " + line, e);
            }
        }
        return out;
    }

    private static void awaitSize(Path file, QeventdProcess p, LongPredicate ok) throws Exception {
        long end = System.nanoTime() + START.toNanos();
        while (!(Files.exists(file) && ok.test(Files.size(file)))) {
            assertThat(p.isAlive()).as("qeventd alive:\n%s", p.err()).isTrue();
            assertThat(System.nanoTime()).as("%s grows", file).isLessThan(end);
            TimeUnit.MILLISECONDS.sleep(20); // polling a file another process writes
        }
    }

    private static void awaitExists(Path file, QeventdProcess p) throws Exception {
        awaitSize(file, p, n -> true);
    }

    private static void awaitLine(Path file, QeventdProcess p, String event) throws Exception {
        long end = System.nanoTime() + START.toNanos();
        while (!(Files.exists(file) && Files.readString(file).contains("\"event\":\"" + event + "\""))) {
            assertThat(p.isAlive()).as("qeventd alive:\n%s", p.err()).isTrue();
            assertThat(System.nanoTime()).as("%s gets %s", file, event).isLessThan(end);
            TimeUnit.MILLISECONDS.sleep(20); // polling a file another process writes
        }
    }
}
