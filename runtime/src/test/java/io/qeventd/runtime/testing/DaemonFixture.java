package io.qeventd.runtime.testing;

import com.google.inject.Guice;
import com.google.inject.Stage;
import io.qeventd.api.HostNetwork;
import io.qeventd.runtime.config.ConfigLoader;
import io.qeventd.runtime.config.QeventdConfig;
import io.qeventd.runtime.daemon.Daemon;
import io.qeventd.runtime.daemon.RuntimeModule;
import io.qeventd.runtime.host.InMemoryHostNetwork;
import io.qeventd.testkit.vm.AbstractDaemonFixture;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.pf4j.RuntimeMode;

/**
 * The whole daemon in this JVM, configured by YAML as an operator would, with everything it writes
 * (admin socket, journal, plugins directory) inside one test directory.
 *
 * <pre>{@code
 * try (DaemonFixture f = DaemonFixture.in(dir).domain("vm1", socket)) {
 *     Daemon d = f.start();
 *     ...
 * }
 * }</pre>
 */
public final class DaemonFixture extends AbstractDaemonFixture<DaemonFixture> {
    private HostNetwork host = new InMemoryHostNetwork();
    private Daemon daemon;

    private DaemonFixture(Path dir) throws IOException {
        super(dir);
    }

    public static DaemonFixture in(Path dir) throws IOException {
        return new DaemonFixture(dir);
    }

    @Override
    protected DaemonFixture self() {
        return this;
    }

    @Override
    protected boolean connected(String domain) {
        return daemon.status().domains().stream().anyMatch(d -> d.name().equals(domain) && d.connected());
    }

    public DaemonFixture host(HostNetwork network) {
        this.host = network;
        return this;
    }

    public QeventdConfig config() throws Exception {
        return ConfigLoader.load(writeConfig());
    }

    /** Builds and starts the daemon as {@code qeventd run} does. */
    public Daemon start() throws Exception {
        daemon = Guice.createInjector(Stage.PRODUCTION, new RuntimeModule(config(), host, RuntimeMode.DEPLOYMENT))
                .getInstance(Daemon.class);
        daemon.start();
        return daemon;
    }

    public Daemon daemon() {
        return daemon;
    }

    @Override
    public void close() {
        if (daemon != null) {
            daemon.stop(Duration.ofSeconds(5));
        }
    }
}
