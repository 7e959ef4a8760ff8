package io.qeventd.runtime.work;

import static org.assertj.core.api.Assertions.assertThat;

import io.qeventd.api.Handler;
import io.qeventd.runtime.journal.JournalRecord;
import io.qeventd.runtime.journal.Outcome;
import io.qeventd.runtime.testing.Pipeline;
import io.qeventd.testkit.qmp.FakeQmpServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A processor running past processTimeout: interrupted, and if that does not help, its plugin is wedged. */
class ProcessTimeoutTest {
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private static WorkOptions options(Duration processTimeout) {
        return new WorkOptions(2, 100, false, Duration.ofSeconds(10), processTimeout);
    }

    @Test
    void aProcessorPastProcessTimeoutIsInterruptedAndItsEventFails() throws Exception {
        List<Integer> seen = new CopyOnWriteArrayList<>();
        try (Pipeline p = new Pipeline(options(Duration.ofMillis(200)));
             FakeQmpServer s = p.connectFake(dir, "vm1")) {
            p.register("sleepy", Handler.on("SEQ", TestTypes.Seq.class).type(TestTypes.Type.SEQ).process((ctx, e) -> {
                if (e.payload().n() == 0) {
                    new CountDownLatch(1).await(); // waits forever unless interrupted
                }
                seen.add(e.payload().n());
            }));
            s.emit("SEQ", Map.of("n", 0));
            s.emit("SEQ", Map.of("n", 1));
            List<JournalRecord> r = p.recorded.await(x -> "sleepy".equals(x.plugin()) && x.outcome() != Outcome.SLOW,
                    2, DEADLINE);
            assertThat(r.get(0).outcome()).isEqualTo(Outcome.FAILED);
            assertThat(r.get(0).error()).contains("did not finish within processTimeout (200 ms)")
                    .contains("InterruptedException");
            assertThat(r.get(1).outcome()).isEqualTo(Outcome.PROCESSED);
            assertThat(p.queue.wedged()).isEmpty();
        }
        assertThat(seen).containsExactly(1);
    }

    @Test
    void aProcessorThatIgnoresTheInterruptWedgesItsPluginAndTheDomainGoesOnWithTheOthers() throws Exception {
        CountDownLatch stuck = new CountDownLatch(1);
        CountDownLatch freeIt = new CountDownLatch(1);
        List<String> ok = new CopyOnWriteArrayList<>();
        try (Pipeline p = new Pipeline(options(Duration.ofMillis(200)));
             FakeQmpServer s = p.connectFake(dir, "vm1")) {
            p.register("hung", Handler.on("SEQ", TestTypes.Seq.class).type(TestTypes.Type.SEQ).process((ctx, e) -> {
                stuck.countDown();
                while (true) {
                    try {
                        if (freeIt.await(10, TimeUnit.SECONDS)) {
                            return;
                        }
                    } catch (InterruptedException ignored) {
                        // a processor that will not be stopped
                    }
                }
            }));
            p.register("ok", Handler.on("SEQ", TestTypes.Seq.class).type(TestTypes.Type.SEQ)
                    .process((ctx, e) -> ok.add("seq" + e.payload().n())));
            s.emit("SEQ", Map.of("n", 0));
            assertThat(stuck.await(10, TimeUnit.SECONDS)).isTrue();
            s.emit("SEQ", Map.of("n", 1));
            JournalRecord wedge = p.recorded.awaitOne(r -> "hung".equals(r.plugin()) && r.outcome() == Outcome.FAILED,
                    DEADLINE);
            assertThat(wedge.error()).contains("plugin 'hung' is wedged").contains("did not return within 200 ms");
            assertThat(p.queue.wedged()).containsOnlyKeys("hung");
            // The lane went on: ok's events ran, and hung's later event is failed as disabled.
            p.recorded.await(r -> "ok".equals(r.plugin()) && r.outcome() == Outcome.PROCESSED, 2, DEADLINE);
            JournalRecord disabled = p.recorded.awaitOne(r -> "hung".equals(r.plugin()) && r.error() != null
                    && r.error().startsWith("plugin 'hung' is wedged (") && r.processingMicros() == null, DEADLINE);
            assertThat(disabled.outcome()).isEqualTo(Outcome.FAILED);
            assertThat(p.queue.abandonedWorkers()).isEqualTo(1);

            // Replacing the plugin brings it back.
            p.register("hung", "2.0.0", List.of(Handler.on("SEQ", TestTypes.Seq.class).type(TestTypes.Type.SEQ)
                    .process((ctx, e) -> ok.add("hung2-seq" + e.payload().n()))));
            assertThat(p.queue.wedged()).isEmpty();
            s.emit("SEQ", Map.of("n", 2));
            p.recorded.awaitOne(r -> "hung".equals(r.plugin()) && r.outcome() == Outcome.PROCESSED, DEADLINE);

            // The stuck thread returns at last: no second record for its event, and the pool shrinks back.
            freeIt.countDown();
            long end = System.nanoTime() + DEADLINE.toNanos();
            while (p.queue.abandonedWorkers() != 0) {
                assertThat(System.nanoTime()).as("the stuck worker comes back").isLessThan(end);
                Thread.sleep(10); // polling a counter with a deadline
            }
            assertThat(p.recorded.records(r -> "hung".equals(r.plugin()) && r.event().equals("SEQ")
                    && r.outcome() != Outcome.SLOW)).hasSize(3);
        }
        assertThat(ok).containsExactly("seq0", "seq1", "hung2-seq2", "seq2");
    }
}
