package io.qeventd.plugins.migration;

import static org.assertj.core.api.Assertions.assertThat;

import io.qeventd.runtime.journal.JournalRecord;
import io.qeventd.runtime.journal.Outcome;
import io.qeventd.testkit.PluginHarness;
import io.qeventd.testkit.vm.Qemu;
import io.qeventd.testkit.vm.QemuRawQmp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar loaded as the daemon loads it, with its settings, following a real QEMU's migration. */
class MigrationIT {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @TempDir
    Path tmp;

    @Test
    void thePackagedPluginFollowsAMigrationIntoAFile() throws Exception {
        Path jar = PluginHarness.packagedJar();
        try (PluginHarness harness = PluginHarness.builder().workers(2).queueLimit(1000)
                     .settings("migration", Map.of("queryOnPass", false)).build();
             Qemu qemu = Qemu.builder().paused().memoryMiB(64).qmpSocket("daemon").qmpSocket("test").start();
             QemuRawQmp test = QemuRawQmp.connect(qemu.qmpSocket("test"), DEADLINE)) {
            assertThat(harness.load(jar).error()).isNull();
            harness.attach("vm1", qemu.qmpSocket("daemon"));
            harness.journal().awaitOne(r -> r.event().equals("resync/CONNECTED")
                    && r.actions().contains("migration events on"), DEADLINE);

            test.executeJson("{\"execute\": \"migrate\", \"arguments\": {\"uri\": \"exec:cat > "
                    + tmp.resolve("vm1.migration") + "\"}}");

            harness.journal().awaitOne(r -> r.event().equals("MIGRATION") && r.outcome() == Outcome.PROCESSED
                    && r.actions().contains("migration completed"), DEADLINE);
            JournalRecord pass = harness.journal().awaitOne(r -> r.event().equals("MIGRATION_PASS"), DEADLINE);
            assertThat(pass.plugin()).isEqualTo("migration");
            assertThat(pass.actions()).containsExactly("pass 1"); // queryOnPass: false, from the settings
            assertThat(harness.states().snapshot().get("migration").get("migration.progress").get("vm1"))
                    .containsEntry("status", "completed");
        }
    }
}
