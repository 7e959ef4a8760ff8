package io.qeventd.plugins.migration;

import static org.assertj.core.api.Assertions.assertThat;

import io.qeventd.runtime.journal.JournalRecord;
import io.qeventd.runtime.journal.Outcome;
import io.qeventd.runtime.plugin.PluginHost;
import io.qeventd.runtime.state.StateRegistry;
import io.qeventd.runtime.testing.Pipeline;
import io.qeventd.runtime.testing.Qemu;
import io.qeventd.runtime.testing.QemuRawQmp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pf4j.RuntimeMode;

/** The packaged jar in the daemon's plugin host, with its settings, following a real QEMU's migration. */
class MigrationIT {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @TempDir
    Path tmp;

    @Test
    void thePackagedPluginFollowsAMigrationIntoAFile() throws Exception {
        Path jar = Path.of(System.getProperty("qeventd.plugin.jar"));
        StateRegistry states = StateRegistry.shared();
        try (Pipeline pipeline = new Pipeline(Pipeline.options(2, 1000));
             Qemu qemu = Qemu.builder().paused().memoryMiB(64).qmpSocket("daemon").qmpSocket("test").start();
             QemuRawQmp test = QemuRawQmp.connect(qemu.qmpSocket("test"), DEADLINE)) {
            pipeline.registry.onUnregister(states::releasePlugin);
            try (PluginHost host = new PluginHost(pipeline.registry, pipeline.domains, pipeline.queue, pipeline.host,
                    Map.of("migration", Map.of("queryOnPass", false)), tmp.resolve("staging"), RuntimeMode.DEPLOYMENT,
                    Duration.ofSeconds(10))) {
                assertThat(host.load(jar).error()).isNull();
                pipeline.attach("vm1", qemu.qmpSocket("daemon")).monitor().firstConnect().get(10, TimeUnit.SECONDS);
                pipeline.recorded.awaitOne(r -> r.event().equals("resync/CONNECTED")
                        && r.actions().contains("migration events on"), DEADLINE);

                test.executeJson("{\"execute\": \"migrate\", \"arguments\": {\"uri\": \"exec:cat > "
                        + tmp.resolve("vm1.migration") + "\"}}");

                pipeline.recorded.awaitOne(r -> r.event().equals("MIGRATION") && r.outcome() == Outcome.PROCESSED
                        && r.actions().contains("migration completed"), DEADLINE);
                JournalRecord pass = pipeline.recorded.awaitOne(r -> r.event().equals("MIGRATION_PASS"), DEADLINE);
                assertThat(pass.plugin()).isEqualTo("migration");
                assertThat(pass.actions()).containsExactly("pass 1"); // queryOnPass: false, from the settings
                assertThat(states.snapshot().get("migration").get("migration.progress").get("vm1"))
                        .containsEntry("status", "completed");
            }
        }
    }
}
