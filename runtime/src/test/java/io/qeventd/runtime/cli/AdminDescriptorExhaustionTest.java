package io.qeventd.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.qeventd.runtime.admin.AdminClient;
import io.qeventd.runtime.admin.AdminException;
import io.qeventd.runtime.testing.DaemonFixture;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A daemon out of file descriptors (its limit lowered with {@code prlimit} to a few above what it uses once
 * started, whatever its class path opens) while clients keep connecting to its
 * admin socket: its accept loop backs off instead of spinning, says so once, and status works again once the
 * clients are gone.
 */
class AdminDescriptorExhaustionTest {
    private static final Duration START = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void runningOutOfDescriptorsBacksOffLogsOnceAndRecovers() throws Exception {
        DaemonFixture fixture = DaemonFixture.in(dir);
        Path config = fixture.writeConfig();
        List<SocketChannel> clients = new ArrayList<>();
        try (QeventdProcess qeventd = QeventdProcess.start(dir, "run", "--config", config.toString())) {
            awaitStatus(fixture.adminSocket, qeventd);
            long open;
            try (var fds = Files.list(Path.of("/proc/" + qeventd.pid() + "/fd"))) {
                open = fds.count();
            }
            long limit = open + 8;
            Process prlimit = new ProcessBuilder("prlimit", "--pid", Long.toString(qeventd.pid()),
                    "--nofile=" + limit + ":" + limit).inheritIO().start();
            assertThat(prlimit.waitFor()).as("prlimit lowers the daemon's descriptor limit").isZero();
            for (int i = 0; i < 120; i++) {
                SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX);
                c.configureBlocking(false); // a full backlog must not block the test
                clients.add(c);
                try {
                    c.connect(UnixDomainSocketAddress.of(fixture.adminSocket));
                } catch (java.io.IOException backlogFull) {
                    // the daemon is not accepting: that is the point
                }
            }
            long end = System.nanoTime() + START.toNanos();
            while (!qeventd.err().contains("Too many open files")) {
                assertThat(qeventd.isAlive()).as(qeventd.err()).isTrue();
                assertThat(System.nanoTime()).as("the daemon runs out of descriptors").isLessThan(end);
                TimeUnit.MILLISECONDS.sleep(50); // polling another process's log
            }
            TimeUnit.SECONDS.sleep(2); // let a spinning accept loop show itself, were it to spin
            for (SocketChannel c : clients) {
                c.close();
            }
            clients.clear();
            awaitStatus(fixture.adminSocket, qeventd);
            long lines = qeventd.err().lines().filter(l -> l.contains("accept failed")).count();
            assertThat(lines).as("accept failures are logged once a minute, not once a try").isBetween(1L, 2L);
            qeventd.terminate();
            assertThat(qeventd.awaitExit(START)).as(qeventd.err()).isEqualTo(Main.OK);
        } finally {
            for (SocketChannel c : clients) {
                c.close();
            }
        }
    }

    private static void awaitStatus(Path socket, QeventdProcess qeventd) throws Exception {
        long end = System.nanoTime() + START.toNanos();
        while (true) {
            assertThat(qeventd.isAlive()).as(qeventd.err()).isTrue();
            try {
                AdminClient.status(socket, Duration.ofSeconds(2));
                return;
            } catch (AdminException e) {
                assertThat(System.nanoTime()).as("status answered: %s", e.getMessage()).isLessThan(end);
                TimeUnit.MILLISECONDS.sleep(100); // polling a process that has no other way to say it is ready
            }
        }
    }
}
