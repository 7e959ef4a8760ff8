package io.qeventd.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qeventd.runtime.daemon.Daemon;
import io.qeventd.runtime.record.RecordedLine;
import io.qeventd.runtime.record.Recording;
import io.qeventd.runtime.testing.DaemonFixture;
import io.qeventd.testkit.vm.Eventually;
import io.qeventd.testkit.vm.PluginJarBuilder;
import io.qeventd.testkit.vm.Qemu;
import io.qeventd.testkit.vm.QemuRawQmp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code qeventd record --domain}: a domain a running daemon watches on a real QEMU is recorded through the daemon
 * (QEMU takes one client per monitor), with the daemon's commands and QEMU's replies; the recording replays into
 * the same plugin with the same outcomes.
 */
class RecordDomainTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void aWatchedDomainIsRecordedThroughTheDaemonAndTheRecordingReplaysWithTheSameOutcomes() throws Exception {
        Path out = dir.resolve("vm1.jsonl");
        List<String> live;
        DaemonFixture fixture = DaemonFixture.in(dir.resolve("daemon"));
        statusPlugin(fixture.pluginsDir);
        try (Qemu qemu = Qemu.builder().paused().qmpSocket("daemon").qmpSocket("test").start();
             DaemonFixture f = fixture.domain("vm1", qemu.qmpSocket("daemon"));
             QemuRawQmp test = QemuRawQmp.connect(qemu.qmpSocket("test"), DEADLINE)) {
            Daemon daemon = f.start();
            f.awaitConnected("vm1", DEADLINE);
            try (QeventdProcess record = QeventdProcess.start(dir.resolve("record"), "record", "--domain", "vm1",
                    "--socket", f.adminSocket.toString(), "--out", out.toString())) {
                Eventually.await("the recording started", DEADLINE, () -> {
                    assertThat(record.isAlive()).as("the recorder runs:\n%s", record.err()).isTrue();
                    return record.err().contains("recording domain 'vm1' (QEMU 7.");
                });
                // One at a time: a STOP's query-status must see the pause, not the next cont.
                List<String> commands = List.of("cont", "stop", "cont", "stop");
                for (int i = 0; i < commands.size(); i++) {
                    test.execute(commands.get(i));
                    long recorded = i + 1;
                    Eventually.await(recorded + " record(s) journaled", DEADLINE, () -> daemon.journal().counts()
                            .values().stream().mapToLong(Long::longValue).sum(), n -> n == recorded);
                }
                Eventually.await("both query-status replies recorded", DEADLINE, () -> replies(out) == 2);
                record.terminate();
                assertThat(record.awaitExit(DEADLINE)).as(record.err()).isZero();
                assertThat(record.err()).contains("4 events recorded in " + out);
            }
            assertThat(daemon.journal().flush(DEADLINE)).isTrue();
            live = outcomes(f.journal);
        }
        assertThat(live).containsExactly("RESUME - unhandled []", "STOP why processed [\"status paused\"]",
                "RESUME - unhandled []", "STOP why processed [\"status paused\"]");

        Recording recording = Recording.read(out);
        assertThat(recording.greeting().path("QMP").path("version").path("qemu").path("major").asInt()).isEqualTo(7);
        assertThat(recording.events()).extracting(l -> l.qmp().path("event").asText())
                .containsExactly("RESUME", "STOP", "RESUME", "STOP");
        List<RecordedLine> commands = recording.lines().stream().filter(RecordedLine::isCommand).toList();
        assertThat(commands).extracting(RecordedLine::command).containsExactly("query-status", "query-status");
        for (RecordedLine c : commands) {
            assertThat(recording.lines()).anyMatch(l -> l.isReply() && l.qmp().get("id").equals(c.qmp().get("id"))
                    && l.qmp().path("return").path("status").asText().equals("paused"));
        }

        Path replayJournal = dir.resolve("replay.jsonl");
        Cli replay = Cli.run("replay", out.toString(), "--plugins", fixture.pluginsDir.toString(),
                "--as-fast-as-possible", "--domain", "vm1", "--journal", replayJournal.toString());

        assertThat(replay.exit()).as(replay.err()).isZero();
        assertThat(outcomes(replayJournal)).isEqualTo(live);
    }

    @Test
    void aDomainTheDaemonDoesNotWatchIsRefusedNamingTheWatchedOnes() throws Exception {
        try (DaemonFixture f = DaemonFixture.in(dir)) {
            f.start();

            Cli cli = Cli.run("record", "--domain", "vm9", "--socket", f.adminSocket.toString(), "--out",
                    dir.resolve("x.jsonl").toString());

            assertThat(cli.exit()).isEqualTo(Main.FAILURE);
            assertThat(cli.err()).contains("domain 'vm9' is not watched by this daemon; watched: none");
            assertThat(dir.resolve("x.jsonl")).doesNotExist();
        }
    }

    @Test
    void serveGoesOnlyWithQmp() {
        Cli cli = Cli.run("record", "--domain", "vm1", "--serve", "x.sock", "--out", "x.jsonl");

        assertThat(cli.exit()).isEqualTo(Main.USAGE);
        assertThat(cli.err()).contains("--serve goes with --qmp");
    }

    /**
     * A plugin that answers STOP with a QMP command, so a recording holds a command and its reply (and a replay
     * answers it from there).
     */
    static void statusPlugin(Path pluginsDir) {
        PluginJarBuilder.create("why").version("1.0.0").requires(">=0.1.0")
                .source("com.example.why.Why", """
                        package com.example.why;

                        @org.pf4j.Extension
                        public class Why implements io.qeventd.api.EventHandlers {
                            public record None() {}

                            @Override
                            public java.util.List<io.qeventd.api.Handler<?>> handlers() {
                                return java.util.List.of(io.qeventd.api.Handler.on("STOP", None.class)
                                        .type(() -> "STOPPED")
                                        .process((c, e) -> c.report("status " + ((java.util.Map<?, ?>) c.monitor()
                                                .execute("query-status")).get("status"))));
                            }
                        }
                        """).build(pluginsDir.resolve("why.jar"));
    }

    /**
     * Each record's event, plugin, outcome and actions, in QEMU's order (the event's number on its connection:
     * an unhandled event's record is written at once, a processed one's when its processor is done).
     */
    private static List<String> outcomes(Path journal) throws IOException {
        List<JsonNode> records = new ArrayList<>();
        for (String line : Files.readAllLines(journal)) {
            records.add(JSON.readTree(line));
        }
        records.sort(Comparator.comparingLong(r -> r.path("seq").asLong()));
        return records.stream().map(r -> r.path("event").asText() + " "
                + (r.path("plugin").isNull() ? "-" : r.path("plugin").asText()) + " " + r.path("outcome").asText()
                + " " + r.path("actions")).toList();
    }

    private static long replies(Path recording) {
        try {
            return Files.readAllLines(recording).stream().filter(l -> l.contains("\"return\":{\"status\"")).count();
        } catch (IOException e) {
            return 0;
        }
    }
}
