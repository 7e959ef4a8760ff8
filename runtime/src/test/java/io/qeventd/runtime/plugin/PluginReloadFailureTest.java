package io.qeventd.runtime.plugin;

import static io.qeventd.runtime.plugin.HostHarness.DEADLINE;
import static org.assertj.core.api.Assertions.assertThat;

import io.qeventd.runtime.journal.JournalRecord;
import io.qeventd.runtime.journal.Outcome;
import io.qeventd.testkit.vm.Eventually;
import io.qeventd.testkit.vm.PluginJarBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pf4j.RuntimeMode;

/** What each way a reload can fail leaves behind: the old version whole, or nothing of the plugin. */
class PluginReloadFailureTest {
    @TempDir
    Path tmp;

    private HostHarness h;
    /** Keys of the JVM-wide properties a test shares with its plugins; removed after it. */
    private final List<String> properties = new ArrayList<>();

    @AfterEach
    void tearDown() {
        h.close();
        properties.forEach(System.getProperties()::remove);
    }

    private String property(String what) {
        String key = "qeventd.test." + what + "." + System.identityHashCode(this);
        properties.add(key);
        return key;
    }

    @Test
    void aDrainPastItsDeadlineAbortsTheReloadAndKeepsTheOldVersionWhole() throws Exception {
        h = new HostHarness(tmp, RuntimeMode.DEPLOYMENT, Duration.ofSeconds(2));
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch letGo = new CountDownLatch(1);
        PluginJarBuilder blocking = blockingOnOne("1.0.0", running, letGo);
        Path live = h.install(blocking, "seq");
        assertThat(h.host.load(live).error()).isNull();
        h.emit("SEQ", 1);
        assertThat(running.await(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
        h.emit("SEQ", 2); // queued behind SEQ 1 on the same domain

        h.install(SeqPlugins.seq("2.0.0"), "seq");
        PluginStatus st = h.host.reload(live);

        assertThat(st.state()).isEqualTo(PluginLifecycle.STARTED);
        assertThat(st.version()).isEqualTo("1.0.0");
        assertThat(st.error()).contains("reload aborted").contains("still running").contains("2000 ms");
        assertThat(h.pipeline.registry.plugin("seq").orElseThrow().version()).isEqualTo("1.0.0");
        assertThat(stagedFiles()).as("the new version's staged copy is discarded").hasSize(1);
        letGo.countDown();
        List<JournalRecord> done = h.pipeline.recorded.await(r -> r.event().equals("SEQ"), 2, DEADLINE);
        assertThat(done).extracting(r -> r.actions().get(0)).containsExactly("1.0.0:1", "1.0.0:2");
        assertThat(h.processed(3).actions()).containsExactly("1.0.0:3");
    }

    @Test
    void whenTheNewVersionAndTheRestartOfTheOldOneBothFailNothingOfThePluginIsLeft() throws Exception {
        h = new HostHarness(tmp, RuntimeMode.DEPLOYMENT, Duration.ofSeconds(10));
        // Both versions refuse to start once the property is set; the check of the new version passes
        // because the test sets it only when the reload reaches LOAD_NEW.
        String refuse = property("refuse");
        String ctor = refusingOnce(refuse);
        Path live = h.install(SeqPlugins.seq("seq", "1.0.0", ctor), "seq");
        assertThat(h.host.load(live).error()).isNull();
        h.install(SeqPlugins.seq("seq", "2.0.0", ctor), "seq");
        assertThat(h.host.reload(live).error()).isNull();
        h.install(SeqPlugins.seq("seq", "3.0.0", ctor), "seq");
        refuseFromLoadNewOn(refuse);

        PluginStatus st = h.host.reload(live);

        assertThat(st.state()).isEqualTo(PluginLifecycle.FAILED);
        assertThat(st.error()).contains("new version failed").contains("2.0.0 could not be restarted")
                .contains("refusing to start");
        assertThat(st.reloads()).as("the reload count survives the failure").isEqualTo(1);
        assertThat(h.pipeline.registry.plugin("seq")).as("no handler with a closed class loader").isEmpty();
        assertThat(h.pipeline.registry.table().lookup("SEQ")).isEmpty();
        h.emit("SEQ", 1);
        JournalRecord r = h.pipeline.recorded.awaitOne(x -> x.event().equals("SEQ"), DEADLINE);
        assertThat(r.outcome()).isEqualTo(Outcome.UNHANDLED);
        assertThat(h.host.status()).singleElement().satisfies(s -> assertThat(s.state()).isEqualTo(PluginLifecycle.FAILED));

        // Fixed: it loads again, and its reload count goes on from where it was.
        System.getProperties().remove(refuse);
        h.install(SeqPlugins.seq("seq", "4.0.0", ctor), "seq");
        PluginStatus fixed = h.host.reload(live);
        assertThat(fixed.state()).isEqualTo(PluginLifecycle.STARTED);
        assertThat(fixed.reloads()).isEqualTo(2);
        assertThat(h.processed(2).actions()).containsExactly("4.0.0:2");

        // Removing the jar removes it entirely.
        h.host.unloadSource(live);
        assertThat(h.host.status()).isEmpty();
        assertThat(h.pipeline.registry.plugin("seq")).isEmpty();
    }

    @Test
    void removingTheJarOfAPluginLeftFailedByAReloadRemovesItsRow() throws Exception {
        h = new HostHarness(tmp, RuntimeMode.DEPLOYMENT, Duration.ofSeconds(10));
        Path live = h.install(SeqPlugins.seq("1.0.0"), "seq");
        h.host.load(live);
        // Both loads fail: once the check passed, the private copies of both versions are taken away.
        h.install(SeqPlugins.seq("2.0.0"), "seq");
        h.host.observeReload((id, step) -> {
            if (step == ReloadStep.LOAD_NEW) {
                try (Stream<Path> s = Files.list(tmp.resolve("staging"))) {
                    s.filter(p -> p.getFileName().toString().endsWith(".jar")).forEach(p -> p.toFile().delete());
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        });
        assertThat(h.host.reload(live).state()).isEqualTo(PluginLifecycle.FAILED);
        Files.delete(live);
        h.host.unloadSource(live);
        assertThat(h.host.status()).isEmpty();
    }

    @Test
    void aPayloadClassWhoseInitialiserThrowsFailsItsEventsOnFirstLoadAndTheDomainGoesOn() throws Exception {
        h = new HostHarness(tmp, RuntimeMode.DEPLOYMENT, Duration.ofSeconds(10));
        assertThat(h.host.load(h.install(SeqPlugins.seq("1.0.0"), "seq")).error()).isNull();
        PluginStatus boom = h.host.load(h.install(BoomPlugins.boom("1.0.0", true), "boom"));
        assertThat(boom.state()).as("the plugin loads; its events fail").isEqualTo(PluginLifecycle.STARTED);

        for (int n = 1; n <= 2; n++) {
            h.emit("BOOM", n);
            assertThat(h.processed(n).actions()).containsExactly("1.0.0:" + n);
        }
        List<JournalRecord> failed = h.pipeline.recorded.await(r -> r.event().equals("BOOM"), 2, DEADLINE);
        assertThat(failed).allSatisfy(r -> {
            assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
            assertThat(r.plugin()).isEqualTo("boom");
            assertThat(r.error()).isNotBlank();
        });
    }

    @Test
    void aPayloadClassWhoseInitialiserThrowsAfterAReloadFailsTheHeldEventsAndTheDomainGoesOn() throws Exception {
        h = new HostHarness(tmp, RuntimeMode.DEPLOYMENT, Duration.ofSeconds(10));
        assertThat(h.host.load(h.install(SeqPlugins.seq("1.0.0"), "seq")).error()).isNull();
        Path live = h.install(BoomPlugins.boom("1.0.0", false), "boom");
        assertThat(h.host.load(live).error()).isNull();
        h.emit("BOOM", 0);
        assertThat(h.pipeline.recorded.awaitOne(r -> r.event().equals("BOOM"), DEADLINE).outcome())
                .isEqualTo(Outcome.PROCESSED);
        h.install(BoomPlugins.boom("2.0.0", true), "boom");
        // Events that arrive while the plugin is held were decoded by 1.0.0; they run on 2.0.0.
        h.host.observeReload((id, step) -> {
            if (step == ReloadStep.LOAD_NEW) {
                try {
                    h.emit("BOOM", 1);
                    Eventually.await("BOOM 1 is queued", DEADLINE, () -> h.pipeline.queue.queuedFor("boom") == 1);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        });

        assertThat(h.host.reload(live).version()).isEqualTo("2.0.0");

        JournalRecord held = h.pipeline.recorded.awaitOne(r -> r.event().equals("BOOM") && r.outcome() != Outcome.PROCESSED,
                DEADLINE);
        assertThat(held.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(held.plugin()).isEqualTo("boom");
        assertThat(held.pluginVersion()).isEqualTo("2.0.0");
        assertThat(h.processed(1).actions()).containsExactly("1.0.0:1");
        h.emit("BOOM", 2);
        assertThat(h.processed(2).actions()).containsExactly("1.0.0:2");
        assertThat(h.pipeline.recorded.await(r -> r.event().equals("BOOM") && r.outcome() == Outcome.FAILED, 2, DEADLINE))
                .allSatisfy(r -> assertThat(r.plugin()).isEqualTo("boom"));
    }

    /**
     * A constructor that refuses once {@code key} is set: the check of a new version passes, and only its
     * real load (and the old version's restart) fails.
     */
    private static String refusingOnce(String key) {
        return """
                    public SeqHandlers() {
                        if (System.getProperty("%s") != null) throw new IllegalStateException("refusing to start");
                    }
                """.formatted(key);
    }

    private void refuseFromLoadNewOn(String key) {
        h.host.observeReload((id, step) -> {
            if (step == ReloadStep.LOAD_NEW) {
                System.setProperty(key, "yes");
            }
        });
    }

    @Test
    void aProcessorStillRunningWhenItsJarIsRemovedFinishesOnItsOwnClasses() throws Exception {
        h = new HostHarness(tmp, RuntimeMode.DEPLOYMENT, Duration.ofSeconds(1));
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch letGo = new CountDownLatch(1);
        Path live = h.install(blockingOnOne("1.0.0", running, letGo), "seq");
        assertThat(h.host.load(live).error()).isNull();
        h.emit("SEQ", 1);
        assertThat(running.await(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
        ClassLoader loader = h.pipeline.registry.plugin("seq").orElseThrow().handlers().get(0).payloadType()
                .getClassLoader();

        Files.delete(live);
        h.host.unloadSource(live);
        assertThat(h.pipeline.registry.plugin("seq")).isEmpty();
        letGo.countDown();

        // After the gate it loads a class no event needed before: from the removed version's own jar.
        JournalRecord r = h.pipeline.recorded.awaitOne(x -> x.event().equals("SEQ"), DEADLINE);
        assertThat(r.outcome()).as(String.valueOf(r.error())).isEqualTo(Outcome.PROCESSED);
        assertThat(r.actions()).containsExactly("1.0.0:1");
        Eventually.await("its class loader closes once the processor finished", DEADLINE,
                () -> ((org.pf4j.PluginClassLoader) loader).isClosed());
    }

    /**
     * Plugin seq whose processor, for SEQ 1, counts {@code running} down and waits for {@code letGo}, then
     * loads a class of its own that nothing loaded before. The latches reach the plugin as JDK objects in
     * system properties: a class the test and the plugin both see as the same.
     */
    private PluginJarBuilder blockingOnOne(String version, CountDownLatch running, CountDownLatch letGo) {
        String entered = property("entered");
        String gate = property("gate");
        System.getProperties().put(entered, running);
        System.getProperties().put(gate, letGo);
        return SeqPlugins.seq("seq", version, "", "Gate.pass(e.payload().n());")
                .source("com.example.seq.Gate", """
                        package com.example.seq;
                        import java.util.concurrent.CountDownLatch;
                        import java.util.concurrent.TimeUnit;
                        public final class Gate {
                            public static void pass(int n) throws InterruptedException {
                                if (n == 1) {
                                    ((CountDownLatch) System.getProperties().get("%s")).countDown();
                                    ((CountDownLatch) System.getProperties().get("%s")).await(60, TimeUnit.SECONDS);
                                    Later.touch();
                                }
                            }
                        }
                        """.formatted(entered, gate))
                .source("com.example.seq.Later", """
                        package com.example.seq;
                        final class Later {
                            static void touch() { }
                        }
                        """);
    }

    private List<Path> stagedFiles() throws Exception {
        try (Stream<Path> s = Files.list(tmp.resolve("staging"))) {
            return s.filter(p -> p.getFileName().toString().endsWith(".jar")).toList();
        }
    }
}
