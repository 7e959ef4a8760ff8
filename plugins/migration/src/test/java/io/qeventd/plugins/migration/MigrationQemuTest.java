package io.qeventd.plugins.migration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.qeventd.api.state.SharedState;
import io.qeventd.runtime.journal.JournalRecord;
import io.qeventd.runtime.journal.Outcome;
import io.qeventd.runtime.plugin.MapPluginSettings;
import io.qeventd.testkit.PluginHarness;
import io.qeventd.testkit.vm.Eventually;
import io.qeventd.testkit.vm.Qemu;
import io.qeventd.testkit.vm.QemuRawQmp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real QEMU without a guest migrating into a command ({@code exec:}): into a file, into a command that
 * fails, into one that never reads (then cancelled). The plugin itself turns QEMU's migration events on.
 */
class MigrationQemuTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @TempDir
    Path tmp;

    private Qemu qemu;
    private PluginHarness pipeline;
    private SharedState reader;
    private QemuRawQmp test;

    @BeforeEach
    void start() throws Exception {
        qemu = Qemu.builder().paused().memoryMiB(64).qmpSocket("daemon").qmpSocket("test").start();
        pipeline = PluginHarness.builder().workers(2).queueLimit(1000).build();
        reader = pipeline.sharedState("reader", null);
        pipeline.register("migration", "1.0.0", new MigrationHandlers(new MapPluginSettings(Map.of(), new ObjectMapper()),
                pipeline.sharedState("migration", getClass().getClassLoader())).handlers());
        pipeline.attach("vm1", qemu.qmpSocket("daemon")).monitor().firstConnect().get(10, TimeUnit.SECONDS);
        test = QemuRawQmp.connect(qemu.qmpSocket("test"), DEADLINE);
        JournalRecord connected = pipeline.journal().awaitOne(r -> r.event().equals("resync/CONNECTED"), DEADLINE);
        assertThat(connected.actions()).containsExactly("migration events on");
        assertThat(reader.get("vm1", MigrationProgress.KEY)).contains(MigrationProgress.NONE);
    }

    @AfterEach
    void stop() throws Exception {
        test.close();
        pipeline.close();
        qemu.close();
    }

    private void migrate(String uri) {
        assertThat(test.executeJson("{\"execute\": \"migrate\", \"arguments\": {\"uri\": \"" + uri + "\"}}")
                .has("return")).isTrue();
    }

    private List<JournalRecord> processed(String event, Predicate<JournalRecord> last) throws Exception {
        pipeline.journal().awaitOne(r -> event.equals(r.event()) && r.outcome() == Outcome.PROCESSED && last.test(r),
                DEADLINE);
        return pipeline.journal().records(r -> event.equals(r.event()));
    }

    private MigrationProgress progress() {
        return reader.get("vm1", MigrationProgress.KEY).orElseThrow();
    }

    @Test
    void aMigrationIntoAFileIsFollowedThroughItsPassesToCompleted() throws Exception {
        Path file = tmp.resolve("vm1.migration");
        migrate("exec:cat > " + file);

        List<JournalRecord> status = processed("MIGRATION", r -> r.actions().get(0).equals("migration completed"));
        assertThat(status).extracting(r -> r.actions().get(0))
                .containsExactly("migration setup", "migration active", "migration completed");
        assertThat(status.get(2).actions().get(1)).startsWith("migration completed: ").endsWith(" bytes of RAM sent");
        List<JournalRecord> passes = pipeline.journal().records(r -> r.event().equals("MIGRATION_PASS"));
        assertThat(passes).isNotEmpty().allSatisfy(r -> assertThat(r.actions()).singleElement().asString()
                .matches("pass \\d+(: \\d+ bytes remaining, \\d+ pages/s dirtied| \\(migration \\w+\\))"));
        MigrationProgress p = progress();
        assertThat(p.status()).isEqualTo("completed");
        assertThat(p.passes()).isEqualTo(passes.size());
        assertThat(p.transferred()).isPositive();
        assertThat(Files.size(file)).isPositive();
    }

    @Test
    void aMigrationThatFailsIsReportedWithQemusReason() throws Exception {
        migrate("exec:exit 3");

        List<JournalRecord> status = processed("MIGRATION", r -> r.actions().get(0).equals("migration failed"));
        assertThat(status.get(status.size() - 1).actions().get(1)).startsWith("migration failed: ")
                .isNotEqualTo("migration failed: QEMU gave no reason");
        assertThat(progress().status()).isEqualTo("failed");
        assertThat(progress().error()).isNotBlank();
    }

    @Test
    void aCancelledMigrationIsReported() throws Exception {
        // sleep never reads: the migration stays active until cancelled.
        migrate("exec:sleep 20");
        processed("MIGRATION", r -> r.actions().get(0).equals("migration active"));
        test.execute("migrate_cancel");

        processed("MIGRATION", r -> r.actions().get(0).equals("migration cancelled"));
        Eventually.await("cancelled", DEADLINE, () -> progress().status().equals("cancelled"));
    }
}
