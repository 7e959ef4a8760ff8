package com.example.qeventd.stopreason;

import static org.assertj.core.api.Assertions.assertThat;

import io.qeventd.runtime.journal.JournalRecord;
import io.qeventd.runtime.plugin.PluginInspection;
import io.qeventd.testkit.PluginHarness;
import io.qeventd.testkit.Replay;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar, as the daemon takes it: checked as 'qeventd plugins check' does, loaded into a class loader of
 * its own, and fed a recording of a real QEMU. The plugin's classes are not on this test's class path.
 */
class StopReasonPluginIT {
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @Test
    void theJarIsValidWithOneHandlerForStop() {
        try (PluginHarness harness = PluginHarness.start()) {
            PluginInspection check = harness.check(PluginHarness.packagedJar());

            assertThat(check.problems()).isEmpty();
            assertThat(check.warnings()).isEmpty();
            assertThat(check.handlers()).singleElement().satisfies(h -> {
                assertThat(h.event()).isEqualTo("STOP");
                assertThat(h.type()).isEqualTo("STOPPED");
            });
        }
    }

    @Test
    void theLoadedJarExplainsTheRecordedStop() throws Exception {
        try (PluginHarness harness = PluginHarness.start();
             Replay replay = Replay.of(Path.of("src/test/resources/stop-resume.jsonl"))) {
            harness.loadStarted(PluginHarness.packagedJar());
            assertThat(getClass().getClassLoader().getResource("com/example/qeventd/stopreason/StopReason.class"))
                    .as("the plugin's classes come from the jar alone").isNull();

            replay.into(harness, "vm1");

            JournalRecord r = harness.journal().awaitOne(x -> "stop-reason".equals(x.plugin()), DEADLINE);
            assertThat(r.actions()).containsExactly("stopped: paused");
        }
    }

    @Test
    void theProjectLoadsFromItsBuildOutputAsInDevelopmentMode() throws Exception {
        try (PluginHarness harness = PluginHarness.start();
             Replay replay = Replay.of(Path.of("src/test/resources/stop-resume.jsonl"))) {
            harness.loadStarted(Path.of("target/classes"));

            replay.into(harness, "vm1");

            JournalRecord r = harness.journal().awaitOne(x -> "stop-reason".equals(x.plugin()), DEADLINE);
            assertThat(r.actions()).containsExactly("stopped: paused");
        }
    }
}
