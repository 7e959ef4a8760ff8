package io.qeventd.runtime.work;

import static org.assertj.core.api.Assertions.assertThat;

import io.qeventd.api.Handler;
import io.qeventd.runtime.journal.JournalRecord;
import io.qeventd.runtime.journal.Outcome;
import io.qeventd.runtime.testing.Pipeline;
import io.qeventd.testkit.qmp.FakeQmpServer;
import io.qeventd.testkit.qmp.QmpLines;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a domain's lane guarantees whatever its handlers throw and however QEMU floods it. */
class LaneGuaranteesTest {
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void aProcessorThrowingAnErrorIsAFailedRecordAndTheLaneGoesOn() throws Exception {
        List<Integer> seen = new CopyOnWriteArrayList<>();
        try (Pipeline p = new Pipeline(Pipeline.options(1, 100));
             FakeQmpServer s = p.connectFake(dir, "vm1")) {
            p.register("erring", Handler.on("SEQ", TestTypes.Seq.class).type(TestTypes.Type.SEQ)
                    .process((ctx, e) -> {
                        seen.add(e.payload().n());
                        switch (e.payload().n()) {
                            case 0 -> throw new InternalError("virtual machine error from a processor");
                            case 1 -> throw new StackOverflowError();
                            case 2 -> throw new OutOfMemoryError("thrown by the processor itself");
                            default -> { }
                        }
                    }));
            for (int i = 0; i < 5; i++) {
                s.emit("SEQ", Map.of("n", i));
            }
            List<JournalRecord> records = p.recorded.await(r -> "erring".equals(r.plugin()), 5, DEADLINE);
            assertThat(records).extracting(JournalRecord::outcome).containsExactly(Outcome.FAILED, Outcome.FAILED,
                    Outcome.FAILED, Outcome.PROCESSED, Outcome.PROCESSED);
            assertThat(records.get(0).error()).contains("InternalError").contains("virtual machine error");
            assertThat(records.get(1).error()).contains("StackOverflowError");
            assertThat(records.get(2).error()).contains("OutOfMemoryError");
        }
        assertThat(seen).containsExactly(0, 1, 2, 3, 4);
    }

    @Test
    void fiveHundredResetsAgainstALimitOfTenKeepOnePendingResyncThatRunsBeforeLaterEvents() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> order = new CopyOnWriteArrayList<>();
        AtomicInteger deepest = new AtomicInteger();
        try (Pipeline p = new Pipeline(Pipeline.options(2, 10));
             FakeQmpServer s = p.connectFake(dir, "vm1")) {
            p.register("a-blocker", Handler.on("SEQ", TestTypes.Seq.class).type(TestTypes.Type.SEQ)
                    .process((ctx, e) -> {
                        if (e.payload().n() == 0) {
                            entered.countDown();
                            release.await();
                        }
                    }));
            p.register("resyncing", Handler.on("SEQ", TestTypes.Seq.class).type(TestTypes.Type.SEQ)
                    .resync((ctx, reason) -> order.add("resync/" + reason))
                    .process((ctx, e) -> order.add("seq" + e.payload().n())));
            s.emit("SEQ", Map.of("n", 0));
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
            s.flood(500, i -> QmpLines.event("RESET", Map.of("guest", false, "reason", "host-qmp-system-reset"), 1, i))
                    .get(10, TimeUnit.SECONDS);
            p.recorded.await(r -> r.event().equals("RESET") && r.outcome() == Outcome.UNHANDLED, 500, DEADLINE);
            watchDepth(() -> p.queue.depth("vm1"), deepest);
            s.emit("SEQ", Map.of("n", 1));
            p.awaitDepth("vm1", 4); // resyncing's seq0, its one resync, and both handlers' seq1
            watchDepth(() -> p.queue.depth("vm1"), deepest);
            assertThat(p.queue.pendingResyncs("vm1")).isEqualTo(1);
            assertThat(p.queue.resyncsMerged()).isEqualTo(499);
            release.countDown();
            p.recorded.await(r -> "resyncing".equals(r.plugin()) && r.outcome() == Outcome.PROCESSED, 3, DEADLINE);
        }
        assertThat(deepest.get()).isLessThanOrEqualTo(10);
        assertThat(order).containsExactly("seq0", "resync/RESET", "seq1");
    }

    @Test
    void anOverflowedHandlerResyncsAtTheGapBeforeAnyLaterEventOfIt() throws Exception {
        CountDownLatch entered0 = new CountDownLatch(1);
        CountDownLatch release0 = new CountDownLatch(1);
        CountDownLatch entered2 = new CountDownLatch(1);
        CountDownLatch release2 = new CountDownLatch(1);
        List<String> order = new CopyOnWriteArrayList<>();
        try (Pipeline p = new Pipeline(Pipeline.options(2, 3));
             FakeQmpServer s = p.connectFake(dir, "vm1")) {
            p.register("r", Handler.on("SEQ", TestTypes.Seq.class).type(TestTypes.Type.SEQ)
                    .resync((ctx, reason) -> order.add("resync/" + reason))
                    .process((ctx, e) -> {
                        int n = e.payload().n();
                        order.add("seq" + n);
                        if (n == 0) {
                            entered0.countDown();
                            release0.await();
                        } else if (n == 2) {
                            entered2.countDown();
                            release2.await();
                        }
                    }));
            s.emit("SEQ", Map.of("n", 0));
            assertThat(entered0.await(10, TimeUnit.SECONDS)).isTrue();
            for (int i = 1; i <= 4; i++) {
                s.emit("SEQ", Map.of("n", i)); // 1, 2, 3 fill the lane; 4 overflows
            }
            JournalRecord overflow = p.recorded.awaitOne(r -> r.outcome() == Outcome.OVERFLOW, DEADLINE);
            assertThat(overflow.qemuTime()).isNotNull();
            release0.countDown();
            assertThat(entered2.await(10, TimeUnit.SECONDS)).isTrue();
            p.awaitDepth("vm1", 1); // seq3 waits behind seq2; there is room again
            s.emit("SEQ", Map.of("n", 5));
            p.awaitDepth("vm1", 3); // the owed resync went in first, at the gap, then seq5
            release2.countDown();
            p.recorded.await(r -> "r".equals(r.plugin()) && r.outcome() == Outcome.PROCESSED, 6, DEADLINE);
        }
        assertThat(order).containsExactly("seq0", "seq1", "seq2", "seq3", "resync/OVERFLOW", "seq5");
    }

    @Test
    void repeatsWithTheSameKeyButOtherDataCoalesceWhenTheLaneIsDrained() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> processed = new CopyOnWriteArrayList<>();
        try (Pipeline p = new Pipeline(Pipeline.options(2, 100));
             FakeQmpServer s = p.connectFake(dir, "vm1")) {
            p.register("t", TestTypes.nicHoldingTheFirst(processed, entered, release));
            s.emit("NIC_RX_FILTER_CHANGED", Map.of("name", "net0", "path", "p0"), 1, 0);
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
            for (int i = 1; i <= 4; i++) {
                // Each repeat's data differs (the path), its key does not: only the worker can tell.
                s.emit("NIC_RX_FILTER_CHANGED", Map.of("name", "net0", "path", "p" + i), 1, i);
            }
            p.awaitDepth("vm1", 4);
            release.countDown();
            p.recorded.await(r -> r.outcome() == Outcome.COALESCED, 3, DEADLINE);
            p.recorded.await(r -> r.outcome() == Outcome.PROCESSED, 2, DEADLINE);
            p.awaitDepth("vm1", 0);
        }
        assertThat(processed).containsExactly("net0@0", "net0@4");
    }

    @Test
    void aDetachedDomainsLaneGoesAwayOnceItsItemsHaveRun() throws Exception {
        try (Pipeline p = new Pipeline(Pipeline.options(2, 100));
             FakeQmpServer s = p.connectFake(dir, "vm1")) {
            p.register("t", Handler.on("SEQ", TestTypes.Seq.class).type(TestTypes.Type.SEQ).process((ctx, e) -> { }));
            for (int i = 0; i < 5; i++) {
                s.emit("SEQ", Map.of("n", i));
            }
            p.recorded.await(r -> r.outcome() == Outcome.PROCESSED, 5, DEADLINE);
            assertThat(p.queue.laneCount()).isEqualTo(1);
            p.domains.detach("vm1");
            long end = System.nanoTime() + DEADLINE.toNanos();
            while (p.queue.laneCount() != 0) {
                assertThat(System.nanoTime()).as("the lane of vm1 goes away").isLessThan(end);
                Thread.sleep(5); // polling a count with a deadline
            }
        }
    }

    private static void watchDepth(IntSupplier depth, AtomicInteger deepest) {
        deepest.accumulateAndGet(depth.getAsInt(), Math::max);
    }

}
