package io.qeventd.plugins.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.qeventd.testkit.vm.JournalLines;
import io.qeventd.testkit.TestDaemon;
import io.qeventd.testkit.vm.Eventually;
import io.qeventd.testkit.vm.Qemu;
import io.qeventd.testkit.vm.TestFiles;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged plugin jar in the daemon, on a real QEMU 7.2 whose NIC's backend is a stream netdev listening
 * on a unix socket ({@code server=on}); the test is the netdev's peer, as passt would be. When the peer goes,
 * the plugin runs the configured reconnect command, which here asks the test (the peer's supervisor) to
 * come back; QEMU then reports the peer connected again.
 */
@EnabledIfSystemProperty(named = "qeventd.plugin.jar", matches = ".+",
        disabledReason = "needs the packaged plugin jar: runs under failsafe, after package (mvn verify)")
class NetworkIT {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void disconnectedStreamIsRecordedAndItsPeerRestartedByTheConfiguredCommand() throws Exception {
        Path run = Files.createTempDirectory(Path.of("/tmp"), "qe-stream-");
        Path peerSocket = run.resolve("peer.sock");
        Path restarts = dir.resolve("restarts");
        try (Qemu qemu = Qemu.builder().paused().qmpSocket("daemon")
                .args("-netdev", "stream,id=s0,server=on,addr.type=unix,addr.path=" + peerSocket,
                        "-device", "virtio-net-pci,id=net0,netdev=s0")
                .awaitSocket(peerSocket).start();
             TestDaemon fixture = TestDaemon.in(dir).domain("vm1", qemu.qmpSocket("daemon"))
                     .yaml("pluginSettings:\n  network:\n    reconnect:\n      s0:\n        command: [sh, -c,"
                             + " 'echo \"$QEVENTD_DOMAIN $QEVENTD_NETDEV\" >> " + restarts + "']")) {
            fixture.pluginJar(Path.of(System.getProperty("qeventd.plugin.jar"))).start();
            fixture.awaitConnected("vm1", DEADLINE);
            Path journal = fixture.journal;

            SocketChannel peer = connect(peerSocket);
            JournalLines.awaitAction(journal, "s0: connected to unix:", DEADLINE);
            peer.close();
            JournalLines.awaitAction(journal, "s0: peer restarted (sh -c ", DEADLINE);
            assertThat(Files.readString(restarts)).isEqualTo("vm1 s0\n");

            try (SocketChannel again = connect(peerSocket)) {
                Eventually.await("QEMU reports the restarted peer connected", DEADLINE,
                        () -> JournalLines.actions(journal).stream().filter(a -> a.startsWith("s0: connected")).count(),
                        n -> n == 2);
                Map<String, Object> published = fixture.daemon().status().pluginState().get("network")
                        .get("network.streams").get("vm1");
                assertThat((String) published.get("streams")).startsWith("s0 connected");
            }
            assertThat(JournalLines.ofPlugin(journal, "network"))
                    .allSatisfy(l -> assertThat(l.path("outcome").asText()).as(l.toString()).isEqualTo("processed"));
        } finally {
            TestFiles.deleteRecursively(run);
        }
    }

    private static SocketChannel connect(Path socket) throws Exception {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(socket));
        return channel;
    }
}
