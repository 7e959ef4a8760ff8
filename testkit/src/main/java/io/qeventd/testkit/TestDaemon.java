package io.qeventd.testkit;

import com.google.inject.Guice;
import com.google.inject.Stage;
import io.qeventd.api.HostNetwork;
import io.qeventd.runtime.config.ConfigLoader;
import io.qeventd.runtime.daemon.Daemon;
import io.qeventd.runtime.daemon.RuntimeModule;
import io.qeventd.runtime.host.InMemoryHostNetwork;
import io.qeventd.testkit.vm.AbstractDaemonFixture;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.pf4j.RuntimeMode;

/**
 * The whole daemon in the test's JVM, as {@code qeventd run} starts it: configured by a YAML file, plugins loaded
 * from its plugins directory, with its admin socket and journal; everything inside one test directory. For the test
 * of a packaged plugin jar in the daemon (its operator commands, its status, its journal lines), e.g. against a
 * real QEMU from qeventd-testkit-vm.
 *
 * <pre>{@code
 * try (TestDaemon daemon = TestDaemon.in(dir).domain("vm1", qemu.qmpSocket("daemon"))) {
 *     daemon.pluginJar(PluginHarness.packagedJar()).start();
 *     daemon.awaitConnected("vm1", Duration.ofSeconds(30));
 *     JournalLines.awaitAction(daemon.journal, "run state paused", Duration.ofSeconds(30));
 * }
 * }</pre>
 *
 * Host network changes go to an in-memory host network unless {@link #host} gives another.
 */
public final class TestDaemon extends AbstractDaemonFixture<TestDaemon> {
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

    private HostNetwork host = new InMemoryHostNetwork();
    private Daemon daemon;

    private TestDaemon(Path dir) throws IOException {
        super(dir);
    }

    /** A daemon whose files go into {@code dir} (e.g. a JUnit {@code @TempDir}); nothing runs yet. */
    public static TestDaemon in(Path dir) throws IOException {
        return new TestDaemon(dir);
    }

    @Override
    protected TestDaemon self() {
        return this;
    }

    /** The host network the daemon's plugins change. */
    public TestDaemon host(HostNetwork network) {
        this.host = network;
        return this;
    }

    /** Writes the configuration, then builds and starts the daemon; its plugins are loaded when this returns. */
    public Daemon start() throws Exception {
        daemon = Guice.createInjector(Stage.PRODUCTION,
                new RuntimeModule(ConfigLoader.load(writeConfig()), host, RuntimeMode.DEPLOYMENT)).getInstance(Daemon.class);
        daemon.start();
        return daemon;
    }

    /** The running daemon, e.g. for {@code daemon().status()}; null before {@link #start}. */
    public Daemon daemon() {
        return daemon;
    }

    @Override
    protected boolean connected(String domain) {
        return daemon.status().domains().stream().anyMatch(d -> d.name().equals(domain) && d.connected());
    }

    /** Stops the daemon as on SIGTERM, letting queued events finish for a few seconds. */
    @Override
    public void close() {
        if (daemon != null) {
            daemon.stop(STOP_TIMEOUT);
        }
    }
}
