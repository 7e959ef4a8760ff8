package io.qeventd.plugins.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qeventd.testkit.vm.Qemu;
import io.qeventd.testkit.vm.QemuRawQmp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code qeventd run --qmp NAME=SOCKET --journal FILE} as a user runs it: a separate JVM with the packaged
 * lifecycle plugin, attached to a real QEMU whose run state the test changes through a second QMP socket,
 * asked for its status, stopped with SIGTERM. Its admin socket is the test's own, so another qeventd running
 * on the machine does not matter.
 */
class LifecycleRunIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void runJournalsStopResumeResetAndQuitInQemusOrderShowsTheRunStateThenStopsCleanlyOnSigterm() throws Exception {
        Path plugins = Files.createDirectory(dir.resolve("plugins"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.copy(Path.of(System.getProperty("qeventd.plugin.jar")), plugins.resolve("lifecycle.jar"));
        Path journal = dir.resolve("journal.jsonl");
        Path log = dir.resolve("daemon.log");
        Path admin = dir.resolve("admin.sock");
        Path config = Files.writeString(dir.resolve("qeventd.yaml"), "admin:\n  socket: " + admin + "\n");

        try (Qemu qemu = Qemu.builder().paused().qmpSocket("daemon").qmpSocket("test").start()) {
            Process daemon = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), "io.qeventd.runtime.cli.Main",
                    "run", "--config", config.toString(), "--qmp", "vm1=" + qemu.qmpSocket("daemon"),
                    "--journal", journal.toString(),
                    "--plugins", plugins.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                awaitLog(log, "connected to QEMU");
                try (QemuRawQmp test = QemuRawQmp.connect(qemu.qmpSocket("test"), Duration.ofSeconds(10))) {
                    for (String c : List.of("cont", "stop", "cont", "system_reset")) {
                        test.execute(c);
                    }
                }
                List<JsonNode> lines = awaitJournal(journal, 4, log);
                List<String> events = lines.stream().filter(l -> !l.path("event").asText().startsWith("resync/"))
                        .map(l -> l.path("event").asText()).toList();
                assertThat(events.subList(0, 4)).containsExactly("RESUME", "STOP", "RESUME", "RESET");
                JsonNode first = lines.stream().filter(l -> l.path("event").asText().equals("RESUME")).findFirst()
                        .orElseThrow();
                assertThat(first.path("plugin").asText()).isEqualTo("lifecycle");
                assertThat(first.path("outcome").asText()).isEqualTo("processed");
                assertThat(first.path("type").asText()).isEqualTo("RESUMED");
                assertThat(first.path("qemuTime").isNumber()).isTrue();
                List<String> fields = new ArrayList<>();
                first.fieldNames().forEachRemaining(fields::add);
                assertThat(fields).startsWith("time", "domain", "event", "qemuTime", "plugin", "pluginVersion", "type",
                        "outcome", "latencyMicros", "processingMicros", "error");

                // The plugin's published run state, in the daemon's status.
                String status = qeventd("status", "--socket", admin.toString());
                assertThat(status).contains("plugin lifecycle:", "  lifecycle.run-state");
                assertThat(status).containsPattern("vm1 +running +");
                assertThat(qeventd("status", "--socket", admin.toString(), "--json"))
                        .contains("\"pluginState\"", "\"lifecycle.run-state\"");

                // SHUTDOWN comes as QEMU quits: processed all the same, with the end and its reason.
                try (QemuRawQmp test = QemuRawQmp.connect(qemu.qmpSocket("test"), Duration.ofSeconds(10))) {
                    test.executeJson("{\"execute\": \"quit\"}");
                }
                JsonNode shutdown = awaitJournal(journal, l -> l.path("event").asText().equals("SHUTDOWN"), log);
                assertThat(shutdown.path("outcome").asText()).isEqualTo("processed");
                assertThat(shutdown.path("actions").toString()).contains("run state shutdown (host-qmp-quit), domain ended");
            } finally {
                daemon.destroy(); // SIGTERM: a graceful stop
                assertThat(daemon.waitFor(30, TimeUnit.SECONDS)).as("daemon stops on SIGTERM").isTrue();
            }
            assertThat(daemon.exitValue()).as("exit code after SIGTERM; log:%n%s", Files.readString(log)).isZero();
            assertThat(Files.readString(log)).contains("stopped");
        }
    }

    /** Runs a qeventd command in a JVM of its own; its stdout, or a failure with its output. */
    private static String qeventd(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.qeventd.runtime.cli.Main"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("qeventd %s:%n%s", String.join(" ", args), out).isZero();
        return out;
    }

    private static JsonNode awaitJournal(Path journal, Predicate<JsonNode> match, Path log)
            throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            for (JsonNode l : read(journal)) {
                if (match.test(l)) {
                    return l;
                }
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("no such journal line; daemon log:\n" + Files.readString(log));
            }
            Thread.sleep(50); // polling a file another process writes
        }
    }

    /** Waits for {@code lines} records of QEMU events (resync runs, which come and go with connects, aside). */
    private static List<JsonNode> awaitJournal(Path journal, int lines, Path log) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            List<JsonNode> read = read(journal);
            if (read.stream().filter(l -> !l.path("event").asText().startsWith("resync/")).count() >= lines) {
                return read;
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("journal has " + read.size() + " lines, expected " + lines + "; daemon log:\n"
                        + Files.readString(log));
            }
            Thread.sleep(50); // polling a file another process writes
        }
    }

    private static void awaitLog(Path log, String text) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!(Files.exists(log) && Files.readString(log).contains(text))) {
            if (System.nanoTime() > end) {
                throw new AssertionError("daemon log never said '" + text + "':\n" + Files.readString(log));
            }
            Thread.sleep(50); // polling a file another process writes
        }
    }

    private static List<JsonNode> read(Path journal) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        if (Files.exists(journal)) {
            for (String line : Files.readAllLines(journal)) {
                if (!line.isBlank()) {
                    out.add(JSON.readTree(line));
                }
            }
        }
        return out;
    }
}
