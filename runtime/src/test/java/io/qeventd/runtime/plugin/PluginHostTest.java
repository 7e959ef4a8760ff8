package io.qeventd.runtime.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import io.qeventd.runtime.journal.JournalRecord;
import io.qeventd.runtime.journal.Outcome;
import io.qeventd.runtime.testing.Pipeline;
import io.qeventd.testkit.qmp.FakeQmpServer;
import io.qeventd.testkit.qmp.QmpLines;
import io.qeventd.testkit.vm.PluginJarBuilder;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pf4j.RuntimeMode;

class PluginHostTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @TempDir
    Path tmp;

    private Path plugins;
    private Path builds;
    private Pipeline pipeline;
    private PluginHost host;
    private FakeQmpServer qemu;

    @BeforeEach
    void setUp() throws Exception {
        plugins = Files.createDirectory(tmp.resolve("plugins"));
        builds = Files.createDirectory(tmp.resolve("builds"));
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx------"));
        pipeline = new Pipeline(Pipeline.options(2, 100_000));
        host = newHost(RuntimeMode.DEPLOYMENT);
        qemu = FakeQmpServer.start(tmp.resolve("vm1.qmp"));
        pipeline.attach("vm1", qemu.socket()).monitor().firstConnect().get(10, TimeUnit.SECONDS);
        qemu.awaitClient(DEADLINE);
    }

    private PluginHost newHost(RuntimeMode mode) {
        return new PluginHost(pipeline.registry, pipeline.domains, pipeline.queue, pipeline.host,
                Map.of("seq", Map.of("greeting", "hello")), tmp.resolve("staging-" + mode), mode, Duration.ofSeconds(10));
    }

    @AfterEach
    void tearDown() {
        host.close();
        qemu.close();
        pipeline.close();
    }

    /** Builds a jar outside the plugins directory, then moves it in whole, as an installer would. */
    private Path install(PluginJarBuilder jar, String name) throws IOException {
        Path built = jar.build(builds.resolve(name + "-" + System.nanoTime() + ".jar"));
        return Files.move(built, plugins.resolve(name + ".jar"), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    private JournalRecord processed(int n) throws Exception {
        qemu.emit("SEQ", Map.of("n", n));
        return pipeline.recorded.awaitOne(r -> r.outcome() == Outcome.PROCESSED
                && r.actions().stream().anyMatch(a -> a.endsWith(":" + n)), DEADLINE);
    }

    private static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(end);
            Thread.sleep(10); // polling an outcome with a deadline
        }
    }

    @Test
    void droppedInReplacedAndRemovedJarsTakeEffectWithoutARestart() throws Exception {
        host.watch(plugins, PluginPathSafety.forDaemonUser(false));
        install(SeqPlugins.seq("1.0.0"), "seq");
        eventually("seq 1.0.0 is live", () -> pipeline.registry.plugin("seq").isPresent());
        assertThat(processed(1).actions()).containsExactly("1.0.0:1");

        install(SeqPlugins.seq("2.0.0"), "seq");
        eventually("seq 2.0.0 is live", () -> pipeline.registry.plugin("seq").map(p -> p.version().equals("2.0.0"))
                .orElse(false) && host.status().size() == 1 && "2.0.0".equals(host.status().get(0).version()));
        assertThat(processed(2).actions()).containsExactly("2.0.0:2");
        assertThat(host.status()).singleElement().satisfies(s -> {
            assertThat(s.version()).isEqualTo("2.0.0");
            assertThat(s.reloads()).isEqualTo(1);
            assertThat(s.events()).containsExactly("SEQ");
        });

        Files.delete(plugins.resolve("seq.jar"));
        eventually("seq is gone", () -> pipeline.registry.plugin("seq").isEmpty());
        qemu.emit("SEQ", Map.of("n", 3));
        JournalRecord r = pipeline.recorded.awaitOne(x -> x.outcome() == Outcome.UNHANDLED, DEADLINE);
        assertThat(r.event()).isEqualTo("SEQ");
    }

    @Test
    void replacingAPluginAHundredTimesUnderLoadLosesAndRepeatsNothing() throws Exception {
        int rounds = 100;
        List<Path> versions = new ArrayList<>();
        for (int v = 1; v <= rounds; v++) {
            versions.add(SeqPlugins.seq(v + ".0.0").build(builds.resolve("seq-" + v + ".jar")));
        }
        Path live = plugins.resolve("seq.jar");
        Files.copy(versions.get(0), live);
        assertThat(host.load(live).error()).isNull();

        int events = 20_000;
        var flood = qemu.flood(events, i -> QmpLines.event("SEQ", Map.of("n", i), 1, i));
        for (int v = 1; v < rounds; v++) {
            Files.copy(versions.get(v), live, StandardCopyOption.REPLACE_EXISTING);
            PluginStatus st = host.reload(live);
            assertThat(st.error()).as("reload to %d.0.0", v + 1).isNull();
            assertThat(st.version()).isEqualTo((v + 1) + ".0.0");
        }
        flood.get(60, TimeUnit.SECONDS);
        List<JournalRecord> done = pipeline.recorded.await(r -> r.event().equals("SEQ"), events, Duration.ofSeconds(60));

        assertThat(done).allSatisfy(r -> assertThat(r.outcome()).isEqualTo(Outcome.PROCESSED));
        Map<Integer, Integer> times = new HashMap<>();
        int lastN = -1;
        int lastVersion = 0;
        for (JournalRecord r : done) {
            String action = r.actions().get(0);
            int version = Integer.parseInt(action.substring(0, action.indexOf('.')));
            int n = Integer.parseInt(action.substring(action.indexOf(':') + 1));
            assertThat(r.pluginVersion()).isEqualTo(version + ".0.0");
            assertThat(n).as("QEMU's order").isGreaterThan(lastN);
            assertThat(version).as("versions only move forward").isGreaterThanOrEqualTo(lastVersion);
            times.merge(n, 1, Integer::sum);
            lastN = n;
            lastVersion = version;
        }
        assertThat(times).hasSize(events).allSatisfy((n, count) -> assertThat(count).isEqualTo(1));
        assertThat(host.status()).singleElement().satisfies(s -> assertThat(s.reloads()).isEqualTo(rounds - 1));
    }

    @Test
    void aBrokenUpgradeLeavesTheOldVersionRunning() throws Exception {
        Path live = install(SeqPlugins.seq("1.0.0"), "seq");
        host.load(live);
        PluginJarBuilder broken = SeqPlugins.seq("seq", "2.0.0", """
                    public SeqHandlers() { throw new IllegalStateException("cannot start 2.0.0"); }
                """);
        install(broken, "seq");
        PluginStatus st = host.reload(live);
        assertThat(st.version()).isEqualTo("1.0.0");
        assertThat(st.error()).contains("new version rejected").contains("cannot start 2.0.0");
        assertThat(processed(7).actions()).containsExactly("1.0.0:7");
    }

    @Test
    void aJarStillBeingCopiedIsNotLoadedUntilComplete() throws Exception {
        host.watch(plugins, PluginPathSafety.forDaemonUser(false));
        byte[] whole = SeqPlugins.seq("1.0.0").jarBytes();
        Path target = plugins.resolve("seq.jar");
        long looksBefore = lookCount();
        // A slow copy: a piece every 20 ms, well inside the watcher's 200 ms between looks.
        try (var out = Files.newOutputStream(target)) {
            int piece = Math.max(1, whole.length / 60);
            for (int off = 0; off < whole.length; off += piece) {
                out.write(whole, off, Math.min(piece, whole.length - off));
                out.flush();
                assertThat(pipeline.registry.plugin("seq")).as("nothing loaded while the copy runs").isEmpty();
                assertThat(host.status()).as("nothing tried while the copy runs").isEmpty();
                Thread.sleep(20); // the pace of the simulated copy, not a synchronisation
            }
        }
        assertThat(lookCount()).as("the watcher looked during the copy").isGreaterThan(looksBefore + 3);
        eventually("seq is live", () -> pipeline.registry.plugin("seq").isPresent() && host.status().size() == 1);
        assertThat(host.status()).singleElement().satisfies(s -> assertThat(s.error()).isNull());
    }

    private long lookCount() {
        return host.watcherLooks();
    }

    @Test
    void anUnloadedPluginsClassLoaderIsCollected() throws Exception {
        Path live = install(SeqPlugins.seq("1.0.0"), "seq");
        host.load(live);
        processed(1);
        WeakReference<ClassLoader> loader = new WeakReference<>(
                pipeline.registry.plugin("seq").orElseThrow().handlers().get(0).payloadType().getClassLoader());
        host.unload("seq");
        assertThat(collected(loader)).as("the old class loader became collectable").isTrue();
    }

    @Test
    void theOldVersionsClassLoaderIsClosedAndCollectedAfterAReload() throws Exception {
        Path live = install(SeqPlugins.seq("1.0.0"), "seq");
        host.load(live);
        processed(1);
        ClassLoader old = pipeline.registry.plugin("seq").orElseThrow().handlers().get(0).payloadType().getClassLoader();
        WeakReference<ClassLoader> loader = new WeakReference<>(old);
        install(SeqPlugins.seq("2.0.0"), "seq");
        assertThat(host.reload(live).version()).isEqualTo("2.0.0");
        assertThat(((org.pf4j.PluginClassLoader) old).isClosed()).as("closed once the swap is done").isTrue();
        old = null;
        assertThat(processed(2).actions()).containsExactly("2.0.0:2");
        assertThat(collected(loader)).as("the old class loader became collectable").isTrue();
    }

    /** GC with allocation pressure until the reference clears or the deadline passes. */
    static boolean collected(WeakReference<?> ref) throws InterruptedException {
        long end = System.nanoTime() + DEADLINE.toNanos();
        List<byte[]> pressure = new ArrayList<>();
        while (ref.get() != null && System.nanoTime() < end) {
            System.gc();
            pressure.add(new byte[1 << 20]);
            if (pressure.size() > 64) {
                pressure.clear();
            }
            Thread.sleep(20); // give the collector a moment between rounds
        }
        return ref.get() == null;
    }

    @Test
    void extensionsAreCreatedByGuiceWithTheDaemonsServicesAndThePluginsOwnModule() throws Exception {
        PluginJarBuilder jar = PluginJarBuilder.create("injected").version("1.0.0").requires(">=0.1.0")
                .source("com.example.inj.Greeter", """
                        package com.example.inj;
                        public interface Greeter { String greet(int n); }
                        """)
                .source("com.example.inj.Bindings", """
                        package com.example.inj;

                        import com.google.inject.AbstractModule;
                        import io.qeventd.api.PluginModule;
                        import org.pf4j.Extension;

                        @Extension
                        public class Bindings implements PluginModule {
                            @Override
                            public Object module() {
                                return new AbstractModule() {
                                    @Override protected void configure() {
                                        bind(Greeter.class).toInstance(n -> "greeted " + n);
                                    }
                                };
                            }
                        }
                        """)
                .source("com.example.inj.InjectedHandlers", """
                        package com.example.inj;

                        import io.qeventd.api.EventHandlers;
                        import io.qeventd.api.EventType;
                        import io.qeventd.api.Handler;
                        import io.qeventd.api.HostNetwork;
                        import io.qeventd.api.PluginSettings;
                        import jakarta.inject.Inject;
                        import java.util.List;
                        import org.pf4j.Extension;

                        @Extension
                        public class InjectedHandlers implements EventHandlers {
                            enum T implements EventType { SEQ }
                            public record Seq(int n) {}

                            private final Greeter greeter;
                            private final HostNetwork host;
                            private final PluginSettings settings;

                            @Inject
                            public InjectedHandlers(Greeter greeter, HostNetwork host, PluginSettings settings) {
                                this.greeter = greeter;
                                this.host = host;
                                this.settings = settings;
                            }

                            @Override
                            public List<Handler<?>> handlers() {
                                return List.of(Handler.on("SEQ", Seq.class).type(T.SEQ).process((ctx, e) ->
                                        ctx.report(greeter.greet(e.payload().n()) + " host=" + (host == ctx.host())
                                                + " color=" + settings.asMap().get("color"))));
                            }
                        }
                        """);
        PluginHost injecting = new PluginHost(pipeline.registry, pipeline.domains, pipeline.queue, pipeline.host,
                Map.of("injected", Map.of("color", "blue")), tmp.resolve("staging-inj"), RuntimeMode.DEPLOYMENT,
                Duration.ofSeconds(10));
        try {
            PluginStatus st = injecting.load(install(jar, "injected"));
            assertThat(st.error()).isNull();
            qemu.emit("SEQ", Map.of("n", 4));
            JournalRecord r = pipeline.recorded.awaitOne(x -> "injected".equals(x.plugin()), DEADLINE);
            assertThat(r.outcome()).isEqualTo(Outcome.PROCESSED);
            assertThat(r.actions()).containsExactly("greeted 4 host=true color=blue");
        } finally {
            injecting.close();
        }
    }

    @Test
    void aPluginThatCouldEndTheDaemonIsRefusedBeforeAnyOfItsCodeRuns() throws Exception {
        Path jar = install(TestPlugins.handlers("exiter", """
                    public BadHandlers() {
                        System.exit(0);
                    }
                """ + TestPlugins.ONE_HANDLER), "exiter");
        PluginStatus st = host.load(jar);
        // Were the constructor run, this JVM would have ended here.
        assertThat(st.state()).isEqualTo(PluginLifecycle.FAILED);
        assertThat(st.error()).contains("calls System.exit in com.example.bad.BadHandlers.<init>");
        assertThat(pipeline.registry.plugin("exiter")).isEmpty();
    }

    @Test
    void aPluginsDirectoryOthersCanWriteIsRefusedWithTheFix() throws Exception {
        Files.setPosixFilePermissions(plugins, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThat(org.assertj.core.api.Assertions.catchThrowable(
                () -> PluginPathSafety.forDaemonUser(false).checkDirectory(plugins)))
                .isInstanceOf(UnsafePluginPathException.class)
                .hasMessageContaining(plugins.toString())
                .hasMessageContaining("chmod go-w");
        Files.setPosixFilePermissions(plugins, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path jar = install(SeqPlugins.seq("1.0.0"), "seq");
        Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-rw-rw-"));
        host.watch(plugins, PluginPathSafety.forDaemonUser(false));
        eventually("the jar is refused", () -> host.status().stream().anyMatch(s -> s.state() == PluginLifecycle.REFUSED));
        assertThat(pipeline.registry.plugin("seq")).isEmpty();
        assertThat(host.status()).singleElement().satisfies(s -> assertThat(s.error()).contains("chmod go-w"));
        // Fixing the mode is a change the watcher sees: the jar loads, and its refused row goes.
        Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-r--r--"));
        eventually("seq loads once its mode is fixed", () -> pipeline.registry.plugin("seq").isPresent()
                && host.status().size() == 1 && host.status().get(0).state() == PluginLifecycle.STARTED);
        assertThat(host.status()).singleElement().satisfies(s -> {
            assertThat(s.state()).isEqualTo(PluginLifecycle.STARTED);
            assertThat(s.error()).isNull();
        });
    }

    @Test
    void aRefusedJarsRowGoesWhenTheJarIsRemoved() throws Exception {
        Path jar = install(SeqPlugins.seq("1.0.0"), "seq");
        Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-rw-rw-"));
        host.watch(plugins, PluginPathSafety.forDaemonUser(false));
        eventually("the jar is refused", () -> host.status().stream().anyMatch(s -> s.state() == PluginLifecycle.REFUSED));
        Files.delete(jar);
        eventually("the refused row goes with its jar", () -> host.status().isEmpty());
    }

    @Test
    void stateListenersFollowAPluginThroughItsLifecycle() throws Exception {
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        host.addStateListener((st, before) -> seen.add(before + " -> " + st.state() + " " + st.version()));
        Path live = install(SeqPlugins.seq("1.0.0"), "seq");
        host.load(live);
        install(SeqPlugins.seq("2.0.0"), "seq");
        host.reload(live);
        install(SeqPlugins.seq("seq", "3.0.0", """
                    public SeqHandlers() { throw new IllegalStateException("no"); }
                """), "seq");
        host.reload(live);
        host.unloadSource(live);
        assertThat(seen).containsExactly("null -> checking null", "checking -> started 1.0.0",
                "started -> started 2.0.0", "started -> started 2.0.0", "started -> unloaded 2.0.0");
    }

    @Test
    void developmentModeReloadsAProjectAfterItsClassesAreRecompiled() throws Exception {
        host.close();
        host = newHost(RuntimeMode.DEVELOPMENT);
        Path project = Files.createDirectories(tmp.resolve("seq-project"));
        writeProject(project, SeqPlugins.seq("1.0.0"));
        assertThat(host.load(project).error()).isNull();
        host.watchProject(project);
        assertThat(processed(1).actions()).containsExactly("1.0.0:1");

        writeProject(project, SeqPlugins.seq("1.0.1"));
        eventually("the recompiled classes are live", () -> pipeline.registry.plugin("seq")
                .map(p -> p.version().equals("1.0.1")).orElse(false));
        assertThat(processed(2).actions()).containsExactly("1.0.1:2");
    }

    /** Lays a plugin out as a Maven project after `mvn compile`: target/classes plus plugin.properties. */
    private static void writeProject(Path project, PluginJarBuilder plugin) throws IOException {
        Path classes = project.resolve("target/classes");
        for (var e : plugin.classes().entrySet()) {
            Path f = classes.resolve(e.getKey());
            Files.createDirectories(f.getParent());
            Files.write(f, e.getValue());
        }
        String version = plugin.version();
        Files.writeString(project.resolve("plugin.properties"),
                "plugin.id=seq\nplugin.version=" + version + "\nplugin.requires=>=0.1.0\n");
    }

    @Test
    void badPluginsAreReportedWithFileAndReasonWhileTheOthersWork() throws Exception {
        install(SeqPlugins.seq("1.0.0"), "good");
        SeqPlugins.seq("broken-jar", "1.0.0", "").buildCorrupt(plugins.resolve("corrupt.jar"));
        SeqPlugins.seq("no-descriptor", "1.0.0", "").descriptor(PluginJarBuilder.Descriptor.NONE)
                .build(plugins.resolve("nodescriptor.jar"));
        SeqPlugins.seq("future", "1.0.0", "").requires(">=9.0.0").build(plugins.resolve("future.jar"));
        SeqPlugins.seq("needy", "1.0.0", "").dependencies("absent@1.0.0").build(plugins.resolve("needy.jar"));
        SeqPlugins.seq("throwing", "1.0.0", """
                    public SeqHandlers() { throw new IllegalStateException("constructor refuses"); }
                """).build(plugins.resolve("throwing.jar"));

        List<PluginStatus> result = host.loadDirectory(plugins);

        Map<String, PluginStatus> byFile = new HashMap<>();
        result.forEach(s -> byFile.put(s.source().getFileName().toString(), s));
        assertThat(byFile.get("good.jar").error()).isNull();
        assertThat(byFile.get("corrupt.jar").error()).contains("corrupt.jar");
        assertThat(byFile.get("nodescriptor.jar").error()).contains("nodescriptor.jar");
        assertThat(byFile.get("future.jar").error()).contains("future.jar").contains("9.0.0");
        assertThat(byFile.get("needy.jar").error()).contains("needy.jar").contains("absent");
        assertThat(byFile.get("throwing.jar").error()).contains("throwing.jar").contains("constructor refuses");
        assertThat(result.stream().filter(s -> s.error() != null)).hasSize(5);
        assertThat(processed(5).actions()).containsExactly("1.0.0:5");
    }

    @Test
    void aThreadThePluginLeftRunningIsReportedWhenItUnloads() throws Exception {
        ch.qos.logback.classic.Logger hostLog =
                (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(PluginHost.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logged =
                new ch.qos.logback.core.read.ListAppender<>();
        logged.start();
        hostLog.addAppender(logged);
        try {
            PluginJarBuilder leaky = SeqPlugins.seq("leaky", "1.0.0", """
                        public SeqHandlers() {
                            Thread t = new Thread(() -> {
                                try { Thread.sleep(60_000); } catch (InterruptedException e) { }
                            }, "leaky-poller");
                            t.setDaemon(true);
                            t.start();
                        }
                    """);
            host.load(install(leaky, "leaky"));
            host.unload("leaky");
            assertThat(logged.list).extracting(e -> e.getFormattedMessage())
                    .anySatisfy(m -> assertThat(m).contains("leaky").contains("leaky-poller")
                            .contains("keeps the plugin's classes in memory"));
        } finally {
            hostLog.detachAppender(logged);
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.getName().equals("leaky-poller")) {
                    t.interrupt();
                }
            }
        }
    }
}
