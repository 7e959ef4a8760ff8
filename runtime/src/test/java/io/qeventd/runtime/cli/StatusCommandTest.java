package io.qeventd.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qeventd.runtime.daemon.Daemon;
import io.qeventd.runtime.testing.DaemonFixture;
import io.qeventd.testkit.qmp.FakeQmpServer;
import io.qeventd.testkit.vm.DaemonPlugins;
import io.qeventd.testkit.vm.Eventually;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatusCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @Test
    void jsonStatusShowsDomainsPluginsAndOutcomesOfTheRunningDaemon() throws Exception {
        Path vm1 = dir.resolve("vm1.qmp");
        try (FakeQmpServer qemu = FakeQmpServer.builder().startPaused().start(vm1);
             DaemonFixture fixture = DaemonFixture.in(dir).domain("vm1", vm1)) {
            DaemonPlugins.runState(fixture.pluginsDir);
            Daemon daemon = fixture.start();
            qemu.awaitClient(WAIT);
            qemu.emit("RESUME", null);
            qemu.emit("STOP", null);
            qemu.emit("DEVICE_DELETED", Map.of("device", "tablet0", "path", "/machine/peripheral/tablet0"));
            Eventually.await("three outcomes journaled", WAIT,
                    () -> daemon.journal().counts().values().stream().mapToLong(Long::longValue).sum() >= 3);
            Eventually.await("run state known", WAIT,
                    () -> daemon.status().domains().get(0).runState().equals("paused"));

            Cli cli = Cli.run("status", "--socket", fixture.adminSocket.toString(), "--json");

            assertThat(cli.exit()).as(cli.err()).isEqualTo(Main.OK);
            JsonNode status = JSON.readTree(cli.out());
            JsonNode domain = status.at("/domains/0");
            assertThat(domain.get("name").asText()).isEqualTo("vm1");
            assertThat(domain.get("connected").asBoolean()).isTrue();
            assertThat(domain.get("runState").asText()).isEqualTo("paused");
            assertThat(domain.get("queueDepth").asInt()).isZero();
            assertThat(domain.get("events").asLong()).isEqualTo(3);
            JsonNode plugin = status.at("/plugins/0");
            assertThat(plugin.get("id").asText()).isEqualTo("run-state");
            assertThat(plugin.get("version").asText()).isEqualTo("1.0.0");
            assertThat(plugin.get("state").asText()).isEqualTo("started");
            assertThat(plugin.get("handled").asLong()).isEqualTo(2);
            assertThat(plugin.get("reloads").asInt()).isZero();
            assertThat(status.at("/outcomes/processed").asLong()).isEqualTo(2);
            assertThat(status.at("/outcomes/unhandled").asLong()).isEqualTo(1);
            assertThat(status.at("/unhandled/DEVICE_DELETED").asLong()).isEqualTo(1);
            assertThat(status.get("pid").asLong()).isEqualTo(ProcessHandle.current().pid());
        }
    }

    @Test
    void tableStatusFindsTheSocketThroughTheConfiguration() throws Exception {
        try (DaemonFixture fixture = DaemonFixture.in(dir)) {
            DaemonPlugins.runState(fixture.pluginsDir);
            fixture.start();

            Cli cli = Cli.run("status", "--config", fixture.writeConfig().toString());

            assertThat(cli.exit()).as(cli.err()).isEqualTo(Main.OK);
            assertThat(cli.out()).contains("no domains attached")
                    .containsPattern("PLUGIN +VERSION +STATE +HANDLED +FAILED +RELOADS")
                    .containsPattern("run-state +1\\.0\\.0 +started +0 +0 +0")
                    .contains("outcomes: processed 0, skipped 0");
        }
    }

    @Test
    void noDaemonIsARuntimeFailureWithAClearMessage() {
        Path socket = dir.resolve("nobody.sock");

        Cli cli = Cli.run("status", "--socket", socket.toString());

        assertThat(cli.exit()).isEqualTo(Main.FAILURE);
        assertThat(cli.out()).isEmpty();
        assertThat(cli.err()).contains("qeventd status: no qeventd daemon answers on " + socket);
    }

    @Test
    void configAndSocketTogetherAreAUsageError() {
        Cli cli = Cli.run("status", "--config", "a.yaml", "--socket", "b.sock");

        assertThat(cli.exit()).isEqualTo(Main.USAGE);
        assertThat(cli.err()).contains("mutually exclusive");
    }

    @Test
    void anInvalidConfigurationIsAUsageErrorWithItsPosition() throws Exception {
        Path config = Files.writeString(dir.resolve("bad.yaml"), "admin:\n  sockett: /tmp/x.sock\n");

        Cli cli = Cli.run("status", "--config", config.toString());

        assertThat(cli.exit()).isEqualTo(Main.USAGE);
        assertThat(cli.err()).contains(config + ":2:3: admin: unknown key 'sockett'");
    }
}
