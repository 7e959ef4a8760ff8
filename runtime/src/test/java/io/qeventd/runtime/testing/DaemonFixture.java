package io.qeventd.runtime.testing;

import com.google.inject.Guice;
import com.google.inject.Stage;
import io.qeventd.api.HostNetwork;
import io.qeventd.runtime.config.ConfigLoader;
import io.qeventd.runtime.config.QeventdConfig;
import io.qeventd.runtime.daemon.Daemon;
import io.qeventd.runtime.daemon.RuntimeModule;
import io.qeventd.runtime.host.InMemoryHostNetwork;
import java.io.IOException;
import java.nio.file.Files;
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
public final class DaemonFixture implements AutoCloseable {
    public final Path dir;
    public final Path pluginsDir;
    public final Path adminSocket;
    public final Path journal;
    private final StringBuilder domains = new StringBuilder();
    private final StringBuilder extra = new StringBuilder();
    private HostNetwork host = new InMemoryHostNetwork();
    private Daemon daemon;

    private DaemonFixture(Path dir) throws IOException {
        this.dir = dir;
        this.pluginsDir = Files.createDirectories(dir.resolve("plugins"));
        this.adminSocket = dir.resolve("admin.sock");
        this.journal = dir.resolve("journal.jsonl");
    }

    public static DaemonFixture in(Path dir) throws IOException {
        return new DaemonFixture(dir);
    }

    /** A domain on {@code socket} that reconnects quickly when its monitor goes away. */
    public DaemonFixture domain(String name, Path socket) {
        domains.append("  - name: ").append(name).append('\n')
                .append("    qmp: ").append(socket).append('\n')
                .append("    reconnectMaxDelay: 200ms\n");
        return this;
    }

    /** More top-level YAML, e.g. a {@code discover:} section. */
    public DaemonFixture yaml(String text) {
        extra.append(text).append('\n');
        return this;
    }

    /** Copies a plugin jar (e.g. the one a plugin module just packaged) into the plugins directory. */
    public DaemonFixture pluginJar(Path jar) throws IOException {
        Files.copy(jar, pluginsDir.resolve(jar.getFileName()));
        return this;
    }

    /** Waits until the started daemon's monitor of {@code domain} is connected. */
    public void awaitConnected(String domain, Duration deadline) {
        Eventually.await("the daemon connects to " + domain, deadline,
                () -> daemon.status().domains().stream().anyMatch(d -> d.name().equals(domain) && d.connected()));
    }

    public DaemonFixture host(HostNetwork network) {
        this.host = network;
        return this;
    }

    /** The configuration file's text. */
    public String configText() {
        return "plugins:\n  dir: " + pluginsDir + "\n  watch: false\n"
                + "admin:\n  socket: " + adminSocket + "\n"
                + "journal: " + journal + "\n"
                + extra
                + (domains.isEmpty() ? "" : "domains:\n" + domains);
    }

    /** Writes the configuration to {@code qeventd.yaml} in the test directory and returns its path. */
    public Path writeConfig() throws IOException {
        return Files.writeString(dir.resolve("qeventd.yaml"), configText());
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
