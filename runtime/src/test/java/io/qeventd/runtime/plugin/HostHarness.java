package io.qeventd.runtime.plugin;

import io.qeventd.runtime.journal.JournalRecord;
import io.qeventd.runtime.journal.Outcome;
import io.qeventd.runtime.testing.Pipeline;
import io.qeventd.testkit.qmp.FakeQmpServer;
import io.qeventd.testkit.vm.PluginJarBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.pf4j.RuntimeMode;

/**
 * A plugin host on a real pipeline, attached to one fake QEMU ({@code vm1}), with a plugins directory and
 * a place to build jars in a test's temporary directory.
 */
final class HostHarness implements AutoCloseable {
    static final Duration DEADLINE = Duration.ofSeconds(30);

    final Path tmp;
    final Path plugins;
    final Path builds;
    final Pipeline pipeline;
    final FakeQmpServer qemu;
    final PluginHost host;

    HostHarness(Path tmp, RuntimeMode mode, Duration drainTimeout) throws Exception {
        this.tmp = tmp;
        plugins = Files.createDirectories(tmp.resolve("plugins"));
        builds = Files.createDirectories(tmp.resolve("builds"));
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx------"));
        pipeline = new Pipeline(Pipeline.options(2, 100_000));
        host = new PluginHost(pipeline.registry, pipeline.domains, pipeline.queue, pipeline.host, Map.of(),
                tmp.resolve("staging"), mode, drainTimeout);
        qemu = FakeQmpServer.start(tmp.resolve("vm1.qmp"));
        pipeline.attach("vm1", qemu.socket()).monitor().firstConnect().get(10, TimeUnit.SECONDS);
        qemu.awaitClient(DEADLINE);
    }

    /** Builds a jar outside the plugins directory, then moves it in whole, as an installer would. */
    Path install(PluginJarBuilder jar, String name) throws IOException {
        Path built = jar.build(builds.resolve(name + "-" + System.nanoTime() + ".jar"));
        return Files.move(built, plugins.resolve(name + ".jar"), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    void emit(String event, int n) throws IOException {
        qemu.emit(event, Map.of("n", n));
    }

    /** Emits SEQ n and waits for the record of its processing; the record's action says "VERSION:n". */
    JournalRecord processed(int n) throws Exception {
        emit("SEQ", n);
        return pipeline.recorded.awaitOne(r -> r.outcome() == Outcome.PROCESSED
                && r.actions().stream().anyMatch(a -> a.endsWith(":" + n)), DEADLINE);
    }

    /** Records of one event type. */
    List<JournalRecord> records(String event) {
        return pipeline.recorded.records(r -> r.event().equals(event));
    }

    /** The version that processed SEQ n according to its action, or null if none did yet. */
    static int numberOf(JournalRecord r) {
        String a = r.actions().get(0);
        return Integer.parseInt(a.substring(a.indexOf(':') + 1));
    }

    static String versionOf(JournalRecord r) {
        String a = r.actions().get(0);
        return a.substring(0, a.indexOf(':'));
    }

    /** Lays a plugin out as a Maven project after `mvn compile`: target/classes plus plugin.properties. */
    static void writeProject(Path project, String id, PluginJarBuilder plugin) throws IOException {
        Path classes = project.resolve("target/classes");
        for (var e : plugin.classes().entrySet()) {
            Path f = classes.resolve(e.getKey());
            Files.createDirectories(f.getParent());
            Files.write(f, e.getValue());
        }
        Files.writeString(project.resolve("plugin.properties"),
                "plugin.id=" + id + "\nplugin.version=" + plugin.version() + "\nplugin.requires=>=0.1.0\n");
    }

    @Override
    public void close() {
        host.close();
        qemu.close();
        pipeline.close();
    }
}
