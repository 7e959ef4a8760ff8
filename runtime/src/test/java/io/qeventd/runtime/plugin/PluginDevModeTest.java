package io.qeventd.runtime.plugin;

import static io.qeventd.runtime.plugin.HostHarness.DEADLINE;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.qeventd.runtime.journal.JournalRecord;
import io.qeventd.runtime.journal.Outcome;
import io.qeventd.testkit.vm.Eventually;
import io.qeventd.testkit.vm.PluginJarBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pf4j.RuntimeMode;
import org.slf4j.LoggerFactory;

/** Development mode: a plugin project under `mvn compile` / `mvn package`, on top of installed jars. */
class PluginDevModeTest {
    private static final Duration LOOK = Duration.ofMillis(50);

    @TempDir
    Path tmp;

    private HostHarness h;
    private Path project;
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

    @BeforeEach
    void setUp() throws Exception {
        h = new HostHarness(tmp, RuntimeMode.DEVELOPMENT, Duration.ofSeconds(10));
        project = Files.createDirectories(tmp.resolve("seq-project"));
        logged.start();
        ((Logger) LoggerFactory.getLogger(PluginHost.class)).addAppender(logged);
    }

    @AfterEach
    void tearDown() {
        ((Logger) LoggerFactory.getLogger(PluginHost.class)).detachAppender(logged);
        h.close();
    }

    /** Version {@code version} with a second handler, TICK, whose payload and helper no event loaded yet. */
    private static PluginJarBuilder twoHandlers(String version, String extra) {
        return SeqPlugins.seq("seq", version, extra)
                .source("com.example.seq.Tick", """
                        package com.example.seq;
                        public record Tick(int n) {}
                        """)
                .source("com.example.seq.TickWords", """
                        package com.example.seq;
                        public final class TickWords {
                            public static String of(Tick t) { return "%s:tick " + t.n(); }
                        }
                        """.formatted(version))
                .source("com.example.seq.TickHandlers", SeqPlugins.handlers("com.example.seq", "TickHandlers", "TICK",
                        "Tick", "ctx.report(TickWords.of(e.payload()))"));
    }

    private JournalRecord ticked(int n) throws Exception {
        h.emit("TICK", n);
        return h.pipeline.recorded.awaitOne(r -> r.event().equals("TICK") && r.outcome() == Outcome.PROCESSED
                && r.actions().get(0).endsWith("tick " + n), DEADLINE);
    }

    /** What a compile that failed leaves: Maven emptied target/classes before compiling. */
    private void emptyClasses() throws IOException {
        try (Stream<Path> s = Files.walk(project.resolve("target/classes"))) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                if (!p.equals(project.resolve("target/classes"))) {
                    Files.delete(p);
                }
            }
        }
    }

    private List<String> log() {
        return logged.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void aFailedReloadRestartsTheLastGoodBuildWithEveryHandler() throws Exception {
        HostHarness.writeProject(project, "seq", twoHandlers("1.0.0", ""));
        assertThat(h.host.load(project).error()).isNull();
        assertThat(h.processed(1).actions()).containsExactly("1.0.0:1");

        // The next build fails after loading: its handlers throw. Its output replaces the good one on disk,
        // and TickWords is gone from it.
        emptyClasses();
        HostHarness.writeProject(project, "seq", SeqPlugins.seq("seq", "1.0.1", """
                    public SeqHandlers() { throw new IllegalStateException("broken build"); }
                """));
        PluginStatus st = h.host.reload(project);

        assertThat(st.state()).isEqualTo(PluginLifecycle.STARTED);
        assertThat(st.version()).isEqualTo("1.0.0");
        assertThat(st.error()).contains("new version failed, 1.0.0 kept").contains("broken build");
        assertThat(st.events()).containsExactly("SEQ", "TICK");
        assertThat(h.processed(2).actions()).containsExactly("1.0.0:2");
        // TICK never ran before: its payload and helper classes load now, from 1.0.0's own copy.
        assertThat(ticked(3).actions()).containsExactly("1.0.0:tick 3");
        assertThat(h.pipeline.recorded.withOutcome(Outcome.FAILED)).isEmpty();
    }

    @Test
    void aProjectIsPickedUpAfterItsFirstPackage() throws Exception {
        PluginStatus before = h.host.load(project);
        assertThat(before.state()).isEqualTo(PluginLifecycle.FAILED);
        assertThat(before.error()).contains("no target/classes");
        h.host.watchProject(project, LOOK);

        // `mvn package` compiles first (no descriptor yet: it comes from the pom, into the jar's manifest)…
        PluginJarBuilder v1 = SeqPlugins.seq("1.0.0");
        writeClasses(v1);
        Eventually.await("the classes are tried", DEADLINE, () -> h.host.status(),
                s -> s.size() == 1 && s.get(0).error() != null && s.get(0).error().contains("no plugin descriptor"));
        // …then writes the jar.
        writeJar(v1);
        Eventually.await("the packaged project is live", DEADLINE, () -> h.host.status(),
                s -> s.size() == 1 && s.get(0).state() == PluginLifecycle.STARTED);
        assertThat(h.processed(1).actions()).containsExactly("1.0.0:1");
        assertThat(log()).anySatisfy(m -> assertThat(m).contains("plugin seq 1.0.0 loaded from " + project)
                .containsPattern("handling events \\d+ ms after its classes changed on disk"));
    }

    @Test
    void classesThatVanishInAFailedCompileKeepTheOldVersionAndTheLogSaysSo() throws Exception {
        HostHarness.writeProject(project, "seq", twoHandlers("1.0.0", ""));
        assertThat(h.host.load(project).error()).isNull();
        h.host.watchProject(project, LOOK);

        emptyClasses();
        Eventually.await("the log says the classes vanished", DEADLINE, this::log, l -> l.stream().anyMatch(m ->
                m.contains(project + ": no compiled classes in target/classes") && m.contains("seq 1.0.0 keeps running")));
        assertThat(h.processed(1).actions()).containsExactly("1.0.0:1");
        assertThat(ticked(2).actions()).containsExactly("1.0.0:tick 2");

        HostHarness.writeProject(project, "seq", twoHandlers("1.0.1", ""));
        Eventually.await("the fixed build is live", DEADLINE,
                () -> h.pipeline.registry.plugin("seq").map(p -> p.version()).orElse(""), "1.0.1"::equals);
        assertThat(h.processed(3).actions()).containsExactly("1.0.1:3");
        assertThat(log()).anySatisfy(m -> assertThat(m).contains("plugin seq reloaded 1.0.0 -> 1.0.1")
                .containsPattern("handling events \\d+ ms after its classes changed on disk"));
    }

    @Test
    void classFilesNewerThanMavensListOfCreatedFilesAreACompileStillWritingAndWait() throws Exception {
        HostHarness.writeProject(project, "seq", SeqPlugins.seq("1.0.0"));
        Path created = project.resolve("target/maven-status/maven-compiler-plugin/compile/default-compile/createdFiles.lst");
        Files.createDirectories(created.getParent());
        Files.writeString(created, "com/example/seq/SeqHandlers.class\n");
        assertThat(h.host.load(project).error()).isNull();
        h.host.watchProject(project, LOOK);

        // javac writes the new classes; Maven has not written its list yet.
        HostHarness.writeProject(project, "seq", SeqPlugins.seq("1.0.1"));
        Files.setLastModifiedTime(created, java.nio.file.attribute.FileTime.fromMillis(0));
        long looks = h.host.watcherLooks();
        Eventually.await("the watcher looked a few times", DEADLINE, () -> h.host.watcherLooks() > looks + 5);
        assertThat(h.pipeline.registry.plugin("seq").orElseThrow().version()).isEqualTo("1.0.0");

        Files.writeString(created, "com/example/seq/SeqHandlers.class\n"); // the compile is done
        Eventually.await("the finished compile is live", DEADLINE,
                () -> h.pipeline.registry.plugin("seq").map(p -> p.version()).orElse(""), "1.0.1"::equals);
        assertThat(h.processed(1).actions()).containsExactly("1.0.1:1");
    }

    @Test
    void aProjectRunsOnTopOfThePluginsDirectory() throws Exception {
        Path jar = h.install(BoomPlugins.boom("1.0.0", false), "boom");
        assertThat(h.host.loadDirectory(h.plugins)).singleElement()
                .satisfies(s -> assertThat(s.state()).isEqualTo(PluginLifecycle.STARTED));
        HostHarness.writeProject(project, "seq", SeqPlugins.seq("1.0.0"));
        assertThat(h.host.load(project).error()).isNull();

        assertThat(h.host.status()).extracting(PluginStatus::id, PluginStatus::source)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("boom", jar),
                        org.assertj.core.groups.Tuple.tuple("seq", project));
        assertThat(h.processed(1).actions()).containsExactly("1.0.0:1");
        h.emit("BOOM", 2);
        assertThat(h.pipeline.recorded.awaitOne(r -> r.event().equals("BOOM"), DEADLINE).outcome())
                .isEqualTo(Outcome.PROCESSED);
    }

    private void writeClasses(PluginJarBuilder plugin) throws IOException {
        for (var e : plugin.classes().entrySet()) {
            Path f = project.resolve("target/classes").resolve(e.getKey());
            Files.createDirectories(f.getParent());
            Files.write(f, e.getValue());
        }
    }

    /** The jar `mvn package` writes: here only its manifest matters, which carries the descriptor. */
    private void writeJar(PluginJarBuilder plugin) throws IOException {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().putValue("Plugin-Id", "seq");
        m.getMainAttributes().putValue("Plugin-Version", plugin.version());
        m.getMainAttributes().putValue("Plugin-Requires", ">=0.1.0");
        Path tmpJar = project.resolve("target/.seq.jar.tmp");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(tmpJar), m)) {
            out.flush();
        }
        Files.move(tmpJar, project.resolve("target/seq-" + plugin.version() + ".jar"));
    }
}
