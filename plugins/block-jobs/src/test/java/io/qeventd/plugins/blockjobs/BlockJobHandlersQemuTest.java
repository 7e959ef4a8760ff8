package io.qeventd.plugins.blockjobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import io.qeventd.api.state.SharedState;
import io.qeventd.events.JobStatus;
import io.qeventd.runtime.journal.JournalRecord;
import io.qeventd.runtime.journal.Outcome;
import io.qeventd.testkit.PluginHarness;
import io.qeventd.testkit.vm.Eventually;
import io.qeventd.testkit.vm.Qemu;
import io.qeventd.testkit.vm.QemuRawQmp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The handlers in the daemon's pipeline, on a real QEMU 7.2 running real mirror jobs. */
class BlockJobHandlersQemuTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void markedMirrorIsPivotedOnReadyAndAnUnmarkedOneStaysReady() throws Exception {
        BlockJobTable table = new BlockJobTable();
        try (Qemu qemu = Qemu.builder().paused().qmpSocket("daemon").qmpSocket("test").start();
             PluginHarness pipeline = PluginHarness.builder().workers(2).queueLimit(64).build();
             QemuRawQmp test = QemuRawQmp.connect(qemu.qmpSocket("test"), DEADLINE)) {
            BlockJobHandlers handlers = new BlockJobHandlers(
                    new BlockJobSettings(DismissPolicy.NEVER, List.of(), Map.of()), table, state(pipeline, "block-jobs"));
            pipeline.register("block-jobs", "1.0.0", handlers.handlers());
            pipeline.attach("vm1", qemu.qmpSocket("daemon"));
            awaitResync(pipeline);
            // Another plugin marks the job through the service the plugin offers.
            SharedState other = state(pipeline, "other");
            other.service(BlockJobHandlers.SERVICE).orElseThrow().markForPivot("vm1", "pivoted");

            Mirror.start(test, dir, "a", "pivoted");
            Mirror.start(test, dir, "b", "kept");

            // Policy "never": the pivoted job concludes and waits there for whoever started it.
            BlockJob pivoted = Eventually.await("the pivoted job concludes", DEADLINE, () -> job(table, "pivoted"),
                    j -> j.isPresent() && j.get().status() == JobStatus.CONCLUDED).orElseThrow();
            assertThat(pivoted.type()).isEqualTo("mirror");
            assertThat(pivoted.error()).isNull();
            assertThat(pivoted.offset()).isEqualTo(pivoted.len()).isPositive();
            BlockJob kept = Eventually.await("the unmarked job is ready", DEADLINE, () -> job(table, "kept"),
                    j -> j.isPresent() && j.get().status() == JobStatus.READY).orElseThrow();
            assertThat(kept.type()).isEqualTo("mirror");
            DomainBlockJobs published = Eventually.await("the plugin publishes both jobs", DEADLINE,
                    () -> other.get("vm1", BlockJobHandlers.JOBS).orElse(null),
                    p -> p != null && p.jobs().size() == 2 && p.jobs().get(0).status() == JobStatus.READY
                            && p.jobs().get(1).status() == JobStatus.CONCLUDED);
            assertThat(published.jobs()).extracting(BlockJob::id, BlockJob::status)
                    .containsExactly(tuple("kept", JobStatus.READY), tuple("pivoted", JobStatus.CONCLUDED));
            assertThat(published.statusFields()).containsEntry("jobs", 2);

            List<String> actions = pipeline.journal()
                    .records(r -> r.plugin() != null && r.plugin().equals("block-jobs"))
                    .stream().flatMap(r -> r.actions().stream()).toList();
            assertThat(actions).contains("pivoted: pivot requested (job-complete)", "pivoted: completed",
                    "pivoted: concluded", "kept: ready").doesNotContain("kept: pivot requested (job-complete)");
            assertThat(actions).noneMatch(a -> a.contains("dismissed"));
            JsonNode jobs = Mirror.require(test, "{\"execute\":\"query-jobs\"}");
            assertThat(jobs.findValuesAsText("status")).containsExactlyInAnyOrder("concluded", "ready");
            assertThat(pipeline.journal().withOutcome(Outcome.FAILED)).isEmpty();
        }
    }

    @Test
    void reconnectRebuildsTheTableAndDismissesWhatConcludedMeanwhile() throws Exception {
        BlockJobTable table = new BlockJobTable();
        try (Qemu qemu = Qemu.builder().paused().qmpSocket("daemon").qmpSocket("test").start();
             QemuRawQmp test = QemuRawQmp.connect(qemu.qmpSocket("test"), DEADLINE)) {
            Mirror.start(test, dir, "c", "copy");
            test.awaitEvent("BLOCK_JOB_READY");
            Mirror.require(test, "{\"execute\":\"job-complete\",\"arguments\":{\"id\":\"copy\"}}");
            Eventually.await("the job concludes before the daemon attaches", DEADLINE,
                    () -> Mirror.require(test, "{\"execute\":\"query-jobs\"}").findValuesAsText("status"),
                    s -> s.equals(List.of("concluded")));

            try (PluginHarness pipeline = PluginHarness.builder().workers(2).queueLimit(64).build()) {
                BlockJobHandlers handlers = new BlockJobHandlers(
                        new BlockJobSettings(DismissPolicy.SUCCEEDED, List.of("copy"), Map.of()), table,
                        state(pipeline, "block-jobs"));
                pipeline.register("block-jobs", "1.0.0", handlers.handlers());
                pipeline.attach("vm1", qemu.qmpSocket("daemon"));
                JournalRecord resync = awaitResync(pipeline);

                assertThat(resync.outcome()).as(String.valueOf(resync.error())).isEqualTo(Outcome.PROCESSED);
                assertThat(resync.actions()).containsExactly("copy: dismissed");
                assertThat(Mirror.require(test, "{\"execute\":\"query-jobs\"}")).isEmpty();
                assertThat(table.jobs("vm1")).isEmpty();
            }
        }
    }

    @Test
    void cancelledPendingAndFailingJobsAreEachRecorded() throws Exception {
        BlockJobTable table = new BlockJobTable();
        try (Qemu qemu = Qemu.builder().paused().qmpSocket("daemon").qmpSocket("test").start();
             PluginHarness pipeline = PluginHarness.builder().workers(2).queueLimit(64).build();
             QemuRawQmp test = QemuRawQmp.connect(qemu.qmpSocket("test"), DEADLINE)) {
            BlockJobHandlers handlers = new BlockJobHandlers(
                    new BlockJobSettings(DismissPolicy.NEVER, List.of(), Map.of()), table, state(pipeline, "block-jobs"));
            pipeline.register("block-jobs", "1.0.0", handlers.handlers());
            pipeline.attach("vm1", qemu.qmpSocket("daemon"));
            awaitResync(pipeline);

            // A forced cancel of a ready mirror: BLOCK_JOB_CANCELLED (without force QEMU completes it).
            Mirror.start(test, dir, "d", "dropped");
            test.awaitEvent("BLOCK_JOB_READY");
            Mirror.require(test, "{\"execute\":\"block-job-cancel\",\"arguments\":{\"device\":\"dropped\","
                    + "\"force\":true}}");
            // auto-finalize off: QEMU waits in pending and says so with BLOCK_JOB_PENDING.
            Mirror.startUnfinalized(test, dir, "p", "held");
            test.awaitEvent("BLOCK_JOB_READY");
            Mirror.require(test, "{\"execute\":\"job-complete\",\"arguments\":{\"id\":\"held\"}}");
            // Every write to the target fails: BLOCK_JOB_ERROR, then the job ends with that error.
            Mirror.startOntoFailingTarget(test, dir, "f", "failing");

            Eventually.await("each job reaches its end", DEADLINE, () -> table.jobs("vm1"), jobs -> jobs.size() == 3
                    && jobs.stream().filter(j -> j.id().equals("held")).allMatch(j -> j.status() == JobStatus.PENDING)
                    && jobs.stream().filter(j -> !j.id().equals("held"))
                            .allMatch(j -> j.status() == JobStatus.CONCLUDED));
            List<String> actions = pipeline.journal().records(r -> "block-jobs".equals(r.plugin())).stream()
                    .flatMap(r -> r.actions().stream()).toList();
            assertThat(actions).anyMatch(a -> a.startsWith("dropped: cancelled at "))
                    .contains("held: pending", "failing: write error, action report")
                    .anyMatch(a -> a.startsWith("failing: failed: "));
            assertThat(job(table, "failing").orElseThrow().error()).isNotNull();
            assertThat(pipeline.journal().records(r -> "block-jobs".equals(r.plugin())))
                    .extracting(r -> r.event()).contains("BLOCK_JOB_CANCELLED", "BLOCK_JOB_PENDING", "BLOCK_JOB_ERROR");
            assertThat(pipeline.journal().withOutcome(Outcome.FAILED)).isEmpty();
        }
    }

    private static SharedState state(PluginHarness pipeline, String pluginId) {
        return pipeline.sharedState(pluginId, BlockJobHandlersQemuTest.class.getClassLoader());
    }

    private static Optional<BlockJob> job(BlockJobTable table, String id) {
        return table.job("vm1", id);
    }

    private static JournalRecord awaitResync(PluginHarness pipeline) throws Exception {
        return pipeline.journal().awaitOne(r -> r.event().equals("resync/CONNECTED") && r.outcome() != Outcome.SLOW,
                DEADLINE);
    }
}
