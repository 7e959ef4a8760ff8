package io.qeventd.testkit.vm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A daemon run by a test, with all its files inside one test directory: its configuration ({@code qeventd.yaml},
 * written as an operator would write it), plugins directory, admin socket and journal. What needs the daemon
 * itself (starting it, asking it whether a monitor is connected, stopping it) is the subclass's: the test kit's
 * {@code TestDaemon} for plugin tests.
 *
 * <pre>{@code
 * fixture.domain("vm1", qemu.qmpSocket("daemon")).pluginJar(jar).yaml("discover:\n  dir: /tmp/x");
 * }</pre>
 *
 * @param <S> the fixture's own type, which each method returns
 */
public abstract class AbstractDaemonFixture<S extends AbstractDaemonFixture<S>> implements AutoCloseable {
    /** The test directory everything is in. */
    public final Path dir;
    /** {@code plugins.dir}: the plugin jars the daemon loads at start (it does not watch it). */
    public final Path pluginsDir;
    /** {@code admin.socket}. */
    public final Path adminSocket;
    /** {@code journal}: one JSON line per outcome (read it with the test kit's {@code JournalLines}). */
    public final Path journal;
    private final StringBuilder domains = new StringBuilder();
    private final StringBuilder extra = new StringBuilder();

    /** Creates the plugins directory in {@code dir}. */
    protected AbstractDaemonFixture(Path dir) throws IOException {
        this.dir = dir;
        this.pluginsDir = Files.createDirectories(dir.resolve("plugins"));
        this.adminSocket = dir.resolve("admin.sock");
        this.journal = dir.resolve("journal.jsonl");
    }

    /** This fixture, as its own type. */
    protected abstract S self();

    /** Whether the started daemon's monitor of {@code domain} is connected now. */
    protected abstract boolean connected(String domain);

    /** Stops the daemon if it was started. */
    @Override
    public abstract void close();

    /** Waits until the started daemon's monitor of {@code domain} is connected. */
    public void awaitConnected(String domain, Duration deadline) {
        Eventually.await("the daemon connects to " + domain, deadline, () -> connected(domain));
    }

    /** A domain on {@code socket} that reconnects quickly when its monitor goes away. */
    public S domain(String name, Path socket) {
        domains.append("  - name: ").append(name).append('\n')
                .append("    qmp: ").append(socket).append('\n')
                .append("    reconnectMaxDelay: 200ms\n");
        return self();
    }

    /** More top-level YAML, e.g. a {@code discover:} section. */
    public S yaml(String text) {
        extra.append(text).append('\n');
        return self();
    }

    /** Copies a plugin jar (e.g. the one a plugin module just packaged) into the plugins directory. */
    public S pluginJar(Path jar) throws IOException {
        Files.copy(jar, pluginsDir.resolve(jar.getFileName()));
        return self();
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
}
