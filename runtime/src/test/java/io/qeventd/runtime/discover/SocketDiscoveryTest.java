package io.qeventd.runtime.discover;

import static org.assertj.core.api.Assertions.assertThat;

import io.qeventd.runtime.config.ConfigLoader;
import io.qeventd.runtime.config.DiscoverConfig;
import io.qeventd.testkit.qmp.FakeQmpServer;
import io.qeventd.testkit.vm.Eventually;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@SuppressWarnings("try") // a fake QEMU only has to exist: its socket file is what is discovered
class SocketDiscoveryTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    private final Recorder recorder = new Recorder();
    private SocketDiscovery discovery;

    @AfterEach
    void stop() {
        if (discovery != null) {
            discovery.close();
        }
    }

    @Test
    void socketsAlreadyThereAppearBeforeStartReturns() throws Exception {
        try (FakeQmpServer vm1 = FakeQmpServer.start(dir.resolve("vm1.qmp"))) {
            discovery = start(config("*.qmp"), Duration.ofMinutes(1));

            assertThat(recorder.calls()).containsExactly("appeared vm1 " + dir.resolve("vm1.qmp"));
        }
    }

    @Test
    void aSocketThatAppearsLaterIsSeenWithoutWaitingForARescan() throws Exception {
        // A rescan interval far beyond the wait: only the watch service can bring the news in time.
        discovery = start(config("*.qmp"), Duration.ofMinutes(5));
        try (FakeQmpServer vm2 = FakeQmpServer.start(dir.resolve("vm2.qmp"))) {
            recorder.await("appeared vm2 " + dir.resolve("vm2.qmp"));
        }
        recorder.await("vanished vm2 " + dir.resolve("vm2.qmp"));
    }

    @Test
    void filesThatAreNoSocketsOrDoNotMatchTheGlobAreIgnored() throws Exception {
        Files.writeString(dir.resolve("notes.qmp"), "a regular file with the right name");
        Files.createDirectory(dir.resolve("dir.qmp"));
        try (FakeQmpServer other = FakeQmpServer.start(dir.resolve("vm3.sock"));
             FakeQmpServer bad = FakeQmpServer.start(dir.resolve("bad name.qmp"));
             FakeQmpServer good = FakeQmpServer.start(dir.resolve("vm4.qmp"))) {
            discovery = start(config("*.qmp"), Duration.ofMinutes(1));

            assertThat(recorder.calls()).containsExactly("appeared vm4 " + dir.resolve("vm4.qmp"));
        }
    }

    @Test
    void aSocketRemovedAndCreatedAgainVanishesAndAppearsAgain() throws Exception {
        Path path = dir.resolve("vm5.qmp");
        bindAndLeave(path);
        discovery = start(config("*.qmp"), Duration.ofMinutes(5));
        Files.delete(path);
        recorder.await("vanished vm5 " + path);
        bindAndLeave(path);

        Eventually.await("appeared twice", WAIT, () -> recorder.calls().size() == 3);
        assertThat(recorder.calls()).containsExactly("appeared vm5 " + path, "vanished vm5 " + path,
                "appeared vm5 " + path);
    }

    @Test
    void aDirectoryCreatedAfterStartIsWatchedOnceItExists() throws Exception {
        Path later = dir.resolve("later");
        discovery = start(new DiscoverConfig(later, "*.qmp"), Duration.ofMillis(50));
        Files.createDirectory(later);
        try (FakeQmpServer vm6 = FakeQmpServer.start(later.resolve("vm6.qmp"))) {
            recorder.await("appeared vm6 " + later.resolve("vm6.qmp"));
        }
    }

    @Test
    void aWorldWritableDirectoryIsRefusedUntilItIsFixed() throws Exception {
        Path shared = Files.createDirectory(dir.resolve("shared"));
        Path vm7 = shared.resolve("vm7.qmp");
        bindAndLeave(vm7);
        run("chmod", "1777", shared.toString());
        discovery = start(new DiscoverConfig(shared, "*.qmp"), Duration.ofMillis(50));
        assertThat(recorder.calls()).as("nothing attached from a directory anybody can write").isEmpty();

        run("chmod", "755", shared.toString());

        recorder.await("appeared vm7 " + vm7);
    }

    @Test
    void aSocketOfAnotherUserIsRefused() throws Exception {
        Path theirs = dir.resolve("vm8.qmp");
        Path ours = dir.resolve("vm9.qmp");
        bindAndLeave(theirs);
        bindAndLeave(ours);
        run("chown", "nobody", theirs.toString());
        discovery = start(config("*.qmp"), Duration.ofMinutes(1));

        assertThat(recorder.calls()).containsExactly("appeared vm9 " + ours);
    }

    /** chmod and chown as the test suite runs them: as root. */
    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).inheritIO().start();
        assertThat(p.waitFor()).as(String.join(" ", command)).isZero();
    }

    @Test
    void theDefaultGlobIsStarDotQmp() throws Exception {
        DiscoverConfig d = ConfigLoader.parse("discover:\n  dir: " + dir + "\n", "test.yaml", dir).discover()
                .orElseThrow();
        assertThat(d.glob()).isEqualTo("*.qmp");
    }

    private SocketDiscovery start(DiscoverConfig config, Duration rescan) {
        SocketDiscovery d = new SocketDiscovery(config, recorder, rescan);
        d.start();
        return d;
    }

    private DiscoverConfig config(String glob) {
        return new DiscoverConfig(dir, glob);
    }

    /** Leaves a socket file behind, as a process that bound it and died would. */
    private static void bindAndLeave(Path path) throws Exception {
        try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            s.bind(UnixDomainSocketAddress.of(path));
        }
    }

    private static final class Recorder implements SocketDiscovery.Listener {
        private final List<String> calls = new ArrayList<>();

        @Override
        public synchronized void appeared(String domain, Path socket) {
            calls.add("appeared " + domain + " " + socket);
        }

        @Override
        public synchronized void vanished(String domain, Path socket) {
            calls.add("vanished " + domain + " " + socket);
        }

        synchronized List<String> calls() {
            return List.copyOf(calls);
        }

        void await(String call) {
            Eventually.await(call, WAIT, () -> calls().contains(call));
        }
    }
}
