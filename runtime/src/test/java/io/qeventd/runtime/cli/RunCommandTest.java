package io.qeventd.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qeventd.runtime.admin.AdminClient;
import io.qeventd.runtime.admin.AdminException;
import io.qeventd.runtime.admin.StatusReport;
import io.qeventd.runtime.testing.DaemonFixture;
import io.qeventd.testkit.qmp.FakeQmpServer;
import io.qeventd.testkit.vm.DaemonPlugins;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A fresh JVM loads plugins and opens sockets; on a busy two-core machine that can take a while. */
    private static final Duration START = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void anInvalidConfigurationIsAUsageErrorNamingFileLineAndColumn() throws Exception {
        Path config = Files.writeString(dir.resolve("bad.yaml"), "workers: 4\nreaders: many\n");

        Cli cli = Cli.run("run", "--config", config.toString());

        assertThat(cli.exit()).isEqualTo(Main.USAGE);
        assertThat(cli.err()).contains("qeventd run: invalid configuration:")
                .contains(config + ":2:10: readers: expected");
    }

    @Test
    void anEndlessConfigFileOrAJournalThatIsADirectoryIsAUsageErrorWithoutAStackTrace() throws Exception {
        Cli zero = Cli.run("run", "--config", "/dev/zero");
        assertThat(zero.exit()).isEqualTo(Main.USAGE);
        assertThat(zero.err()).contains("/dev/zero").contains("larger than").doesNotContain("\tat ");

        Path journalDir = Files.createDirectory(dir.resolve("journal-dir"));
        DaemonFixture fixture = DaemonFixture.in(dir);
        Cli journal = Cli.run("run", "--config", fixture.writeConfig().toString(), "--journal", journalDir.toString());
        assertThat(journal.exit()).isEqualTo(Main.USAGE);
        assertThat(journal.err()).contains("cannot open journal " + journalDir).contains("directory")
                .doesNotContain("\tat ");
    }

    @Test
    void unknownOptionsAndBadFlagsAreUsageErrors() {
        assertThat(Cli.run("run", "--frobnicate").exit()).isEqualTo(Main.USAGE);
        assertThat(Cli.run("--log-level", "loud", "run").exit()).isEqualTo(Main.USAGE);
        Cli qmp = Cli.run("run", "--qmp", "vm1");
        assertThat(qmp.exit()).isEqualTo(Main.USAGE);
        assertThat(qmp.err()).contains("--qmp expects NAME=SOCKET, got 'vm1'");
    }

    @Test
    void aSecondDaemonOnTheSameAdminSocketIsARuntimeFailure() throws Exception {
        try (DaemonFixture first = DaemonFixture.in(dir)) {
            first.start();

            Cli second = Cli.run("run", "--config", first.writeConfig().toString());

            assertThat(second.exit()).isEqualTo(Main.FAILURE);
            assertThat(second.err()).contains("another qeventd daemon answers on admin socket " + first.adminSocket);
            assertThat(AdminClient.status(first.adminSocket, Duration.ofSeconds(5)).pid())
                    .isEqualTo(ProcessHandle.current().pid());
        }
    }

    @Test
    void theDaemonAnswersStatusAndOnSigtermDrainsFlushesAndExitsZero() throws Exception {
        Path vm1 = dir.resolve("vm1.qmp");
        DaemonFixture fixture = DaemonFixture.in(dir).domain("vm1", vm1);
        DaemonPlugins.runState(fixture.pluginsDir);
        Path config = fixture.writeConfig();
        try (FakeQmpServer qemu = FakeQmpServer.start(vm1);
             QeventdProcess qeventd = QeventdProcess.start(dir, "run", "--config", config.toString())) {
            qemu.awaitClient(START);
            qemu.emit("STOP", null);
            qemu.emit("RESUME", null);
            StatusReport status = awaitStatus(fixture.adminSocket, qeventd,
                    s -> s.plugins().size() == 1 && s.plugins().get(0).handled() == 2);
            assertThat(status.domains()).singleElement().satisfies(d -> {
                assertThat(d.name()).isEqualTo("vm1");
                assertThat(d.connected()).isTrue();
            });
            assertThat(status.pid()).isNotEqualTo(ProcessHandle.current().pid());

            qeventd.terminate();

            assertThat(qeventd.awaitExit(START)).as(qeventd.err()).isEqualTo(Main.OK);
            List<String> journal = Files.readAllLines(fixture.journal);
            assertThat(journal).hasSize(2).allSatisfy(l -> assertThat(l).contains("\"outcome\":\"processed\""));
            assertThat(fixture.adminSocket).doesNotExist();
            assertThat(qeventd.err()).containsPattern("INFO .* - stopped");
        }
    }

    @Test
    void aDevProjectRunsOnTopOfThePluginsDirectoryAndAddedPluginsDirectories() throws Exception {
        Path vm1 = dir.resolve("vm1.qmp");
        DaemonFixture fixture = DaemonFixture.in(dir).domain("vm1", vm1);
        DaemonPlugins.slowWork(fixture.pluginsDir);
        Path added = Files.createDirectory(dir.resolve("more-plugins"));
        DaemonPlugins.mirrorMac(added);
        // A project after `mvn package`: its classes, with the manifest that carries the descriptor.
        Path project = dir.resolve("run-state-project");
        unpack(DaemonPlugins.runState(Files.createDirectory(dir.resolve("build"))), project.resolve("target/classes"));
        Path config = fixture.writeConfig();
        try (FakeQmpServer qemu = FakeQmpServer.start(vm1);
             QeventdProcess qeventd = QeventdProcess.start(dir, "run", "--config", config.toString(),
                     "--plugins", added.toString(), "--dev", project.toString())) {
            qemu.awaitClient(START);
            StatusReport status = awaitStatus(fixture.adminSocket, qeventd, s -> s.plugins().size() == 3);
            assertThat(status.plugins()).extracting(p -> p.id() + " " + p.state())
                    .containsExactlyInAnyOrder("slow-work started", "mirror-mac started", "run-state started");
            qemu.emit("STOP", null);
            awaitStatus(fixture.adminSocket, qeventd, s -> s.plugins().stream()
                    .anyMatch(p -> p.id().equals("run-state") && p.handled() == 1));
            qeventd.terminate();
            assertThat(qeventd.awaitExit(START)).as(qeventd.err()).isEqualTo(Main.OK);
        }
    }

    private static void unpack(Path jar, Path into) throws Exception {
        try (var zip = new java.util.zip.ZipFile(jar.toFile())) {
            for (var e : java.util.Collections.list(zip.entries())) {
                Path f = into.resolve(e.getName());
                if (e.isDirectory()) {
                    Files.createDirectories(f);
                    continue;
                }
                Files.createDirectories(f.getParent());
                try (var in = zip.getInputStream(e)) {
                    Files.copy(in, f);
                }
            }
        }
    }

    @Test
    void jsonLogFormatWritesEachLogLineAsAJsonObject() throws Exception {
        DaemonFixture fixture = DaemonFixture.in(dir);
        Path config = fixture.writeConfig();
        try (QeventdProcess qeventd = QeventdProcess.start(dir, "--log-format", "json", "run", "--config",
                config.toString())) {
            awaitStatus(fixture.adminSocket, qeventd, s -> true);
            qeventd.terminate();
            assertThat(qeventd.awaitExit(START)).as(qeventd.err()).isEqualTo(Main.OK);
        }
        List<String> lines = Files.readAllLines(dir.resolve("stderr.txt"));
        assertThat(lines).isNotEmpty();
        for (String line : lines) {
            JsonNode entry = JSON.readTree(line);
            assertThat(entry.has("timestamp")).as(line).isTrue();
            assertThat(entry.has("level")).as(line).isTrue();
            assertThat(entry.has("loggerName")).as(line).isTrue();
        }
        assertThat(lines).anySatisfy(l -> assertThat(JSON.readTree(l).get("formattedMessage").asText())
                .isEqualTo("admin socket: " + fixture.adminSocket));
    }

    private static StatusReport awaitStatus(Path socket, QeventdProcess qeventd,
                                            Predicate<StatusReport> ok) throws Exception {
        long end = System.nanoTime() + START.toNanos();
        Optional<String> lastProblem = Optional.empty();
        while (System.nanoTime() < end) {
            if (!qeventd.isAlive()) {
                throw new AssertionError("qeventd exited early; stderr:\n" + qeventd.err());
            }
            try {
                StatusReport s = AdminClient.status(socket, Duration.ofSeconds(2));
                if (ok.test(s)) {
                    return s;
                }
                lastProblem = Optional.of("status not yet as expected: " + s);
            } catch (AdminException e) {
                lastProblem = Optional.of(e.getMessage());
            }
            Thread.sleep(50); // polling a process that has no other way to say it is ready
        }
        throw new AssertionError("no expected status within " + START.toSeconds() + " s: " + lastProblem.orElse("")
                + "\nstderr:\n" + qeventd.err());
    }
}
