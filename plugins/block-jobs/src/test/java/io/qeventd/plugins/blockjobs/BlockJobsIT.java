package io.qeventd.plugins.blockjobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.qeventd.runtime.admin.StatusReport;
import io.qeventd.testkit.vm.JournalLines;
import io.qeventd.testkit.TestDaemon;
import io.qeventd.testkit.vm.Eventually;
import io.qeventd.testkit.vm.Qemu;
import io.qeventd.testkit.vm.QemuRawQmp;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged plugin jar in the daemon, configured as an operator would ({@code pluginSettings.block-jobs}),
 * on a real QEMU whose mirror job the test starts: the daemon pivots it on READY and dismisses it once
 * concluded, so QEMU holds no job at the end.
 */
@EnabledIfSystemProperty(named = "qeventd.plugin.jar", matches = ".+",
        disabledReason = "needs the packaged plugin jar: runs under failsafe, after package (mvn verify)")
class BlockJobsIT {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void daemonPivotsTheConfiguredMirrorAndDismissesItOnceConcluded() throws Exception {
        try (Qemu qemu = Qemu.builder().paused().qmpSocket("daemon").qmpSocket("test").start();
             TestDaemon fixture = TestDaemon.in(dir).domain("vm1", qemu.qmpSocket("daemon"))
                     .yaml("pluginSettings:\n  block-jobs:\n    dismiss: always\n    pivot: [mirror0]")) {
            fixture.pluginJar(Path.of(System.getProperty("qeventd.plugin.jar"))).start();
            try (QemuRawQmp test = QemuRawQmp.connect(qemu.qmpSocket("test"), DEADLINE)) {
                Eventually.await("the daemon's connect resync", DEADLINE, () -> JournalLines.read(fixture.journal)
                        .stream().anyMatch(l -> l.path("event").asText().equals("resync/CONNECTED")));

                Mirror.start(test, dir, "disk", "mirror0");

                JournalLines.awaitAction(fixture.journal, "mirror0: gone", DEADLINE);
                assertThat(JournalLines.actions(fixture.journal)).containsSubsequence(
                        "mirror0: ready (1048576 of 1048576 bytes)", "mirror0: pivot requested (job-complete)",
                        "mirror0: completed", "mirror0: concluded", "mirror0: dismissed", "mirror0: gone");
                assertThat(Mirror.require(test, "{\"execute\":\"query-jobs\"}")).isEmpty();
                StatusReport status = fixture.daemon().status();
                assertThat(status.pluginState().get("block-jobs").get("block-jobs.jobs").get("vm1"))
                        .containsEntry("jobs", 0);
                assertThat(status.services().get("block-jobs")).contains("block-jobs.service");
                assertThat(JournalLines.ofPlugin(fixture.journal, "block-jobs"))
                        .allSatisfy(l -> assertThat(l.path("outcome").asText()).as(l.toString()).isEqualTo("processed"));
            }
        }
    }
}
