package io.qeventd.runtime.discover;

import static org.assertj.core.api.Assertions.assertThat;

import io.qeventd.runtime.daemon.Daemon;
import io.qeventd.runtime.domain.DomainHandle;
import io.qeventd.runtime.testing.DaemonFixture;
import io.qeventd.testkit.qmp.FakeQmpServer;
import io.qeventd.testkit.vm.Eventually;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daemon with {@code discover:} configured, against real sockets coming and going in a directory. */
class DiscoveryDaemonTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @Test
    void aQmpSocketAppearingAttachesItsDomainAndVanishingDetachesIt() throws Exception {
        Path sockets = Files.createDirectory(dir.resolve("sockets"));
        try (DaemonFixture fixture = DaemonFixture.in(dir).yaml("discover:\n  dir: " + sockets)) {
            Daemon daemon = fixture.start();
            assertThat(daemon.domains().all()).isEmpty();

            try (FakeQmpServer vm1 = FakeQmpServer.start(sockets.resolve("vm1.qmp"))) {
                vm1.awaitClient(WAIT);
                DomainHandle d = Eventually.await("vm1 active", WAIT, () -> daemon.domains().get("vm1"),
                        h -> h.isPresent() && h.get().isActive()).orElseThrow();
                assertThat(d.monitor().address().toString()).isEqualTo(sockets.resolve("vm1.qmp").toString());

                vm1.emit("DEVICE_DELETED", Map.of("device", "tablet0", "path", "/machine/peripheral/tablet0"));
                Eventually.await("the event journaled for vm1", WAIT,
                        () -> daemon.status().unhandled().getOrDefault("DEVICE_DELETED", 0L) == 1);
            }
            // Closing the fake QEMU removes its socket, as QEMU does on exit.
            Eventually.await("vm1 detached", WAIT, () -> daemon.domains().get("vm1").isEmpty());
            assertThat(daemon.status().domains()).isEmpty();
        }
        assertThat(Files.readAllLines(dir.resolve("journal.jsonl")))
                .anySatisfy(line -> assertThat(line).contains("\"domain\":\"vm1\"").contains("DEVICE_DELETED"));
    }

    @Test
    void aConfiguredDomainKeepsItsNameAndOutlivesASocketOfTheSameName() throws Exception {
        Path sockets = Files.createDirectory(dir.resolve("sockets"));
        Path configured = dir.resolve("configured.qmp");
        try (FakeQmpServer real = FakeQmpServer.start(configured);
             DaemonFixture fixture = DaemonFixture.in(dir).domain("vm1", configured)
                     .yaml("discover:\n  dir: " + sockets + "\n  glob: \"*.sock\"")) {
            Daemon daemon = fixture.start();
            real.awaitClient(WAIT);
            try (FakeQmpServer impostor = FakeQmpServer.start(sockets.resolve("vm1.sock"));
                 FakeQmpServer vm2 = FakeQmpServer.start(sockets.resolve("vm2.sock"))) {
                vm2.awaitClient(WAIT);
                assertThat(impostor.clientCount()).isZero();
            }
            Eventually.await("vm2 detached", WAIT, () -> daemon.domains().get("vm2").isEmpty());
            assertThat(daemon.domains().get("vm1")).hasValueSatisfying(d -> assertThat(d.isActive()).isTrue());
            assertThat(daemon.domains().get("vm1").orElseThrow().monitor().address().toString())
                    .isEqualTo(configured.toString());
        }
    }
}
