package io.qeventd.runtime.work;

import static org.assertj.core.api.Assertions.assertThat;

import io.qeventd.api.Handler;
import io.qeventd.api.MonitorClosedException;
import io.qeventd.api.ResyncReason;
import io.qeventd.runtime.journal.JournalRecord;
import io.qeventd.runtime.journal.Outcome;
import io.qeventd.runtime.testing.Pipeline;
import io.qeventd.testkit.qmp.FakeQmpServer;
import io.qeventd.testkit.qmp.QmpLines;
import io.qeventd.testkit.qmp.Reply;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineOutcomesTest {
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    /** Registers a SEQ handler whose processor blocks on the first event until released. */
    private static Handler<TestTypes.Seq> blockingFirst(CountDownLatch entered, CountDownLatch release,
                                                         List<Integer> seen) {
        return Handler.on("SEQ", TestTypes.Seq.class).type(TestTypes.Type.SEQ).process((ctx, e) -> {
            seen.add(e.payload().n());
            if (e.payload().n() == 0) {
                entered.countDown();
                release.await();
            }
        });
    }

    @Test
    void repeatsWithTheSameKeyStillQueuedCollapseIntoTheNewest() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> processed = new CopyOnWriteArrayList<>();
        try (Pipeline p = new Pipeline(Pipeline.options(2, 100));
             FakeQmpServer s = p.connectFake(dir, "vm1")) {
            p.register("t", TestTypes.nicHoldingTheFirst(processed, entered, release));
            s.emit("NIC_RX_FILTER_CHANGED", Map.of("name", "net0"), 1, 0);
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
            for (int i = 1; i <= 5; i++) {
                s.emit("NIC_RX_FILTER_CHANGED", Map.of("name", "net0"), 1, i);
                s.emit("NIC_RX_FILTER_CHANGED", Map.of("name", "net1"), 1, i);
            }
            p.recorded.await(r -> r.outcome() == Outcome.COALESCED, 8, DEADLINE);
            release.countDown();
            p.recorded.await(r -> r.outcome() == Outcome.PROCESSED, 3, DEADLINE);
        }
        assertThat(processed).containsExactly("net0@0", "net0@5", "net1@5");
    }

    @Test
    void overflowIsJournaledAndTheHandlerResyncsAfterTheBacklog() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Integer> seen = new CopyOnWriteArrayList<>();
        List<ResyncReason> resyncs = new CopyOnWriteArrayList<>();
        try (Pipeline p = new Pipeline(Pipeline.options(1, 10));
             FakeQmpServer s = p.connectFake(dir, "vm1")) {
            p.register("t", Handler.on("SEQ", TestTypes.Seq.class).type(TestTypes.Type.SEQ)
                    .resync((ctx, reason) -> resyncs.add(reason))
                    .process((ctx, e) -> {
                        seen.add(e.payload().n());
                        if (e.payload().n() == 0) {
                            entered.countDown();
                            release.await();
                        }
                    }));
            s.emit("SEQ", Map.of("n", 0));
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
            s.flood(30, i -> QmpLines.event("SEQ", Map.of("n", i + 1), 1, 0)).get(10, TimeUnit.SECONDS);
            List<JournalRecord> overflow = p.recorded.await(r -> r.outcome() == Outcome.OVERFLOW, 20, DEADLINE);
            assertThat(overflow).allSatisfy(r -> assertThat(r.error()).contains("queue of domain 'vm1' is full (10)"));
            release.countDown();
            p.recorded.awaitOne(r -> r.event().equals("resync/OVERFLOW") && r.outcome() == Outcome.PROCESSED, DEADLINE);
            assertThat(p.queue.depth("vm1")).isZero();
        }
        assertThat(seen).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        assertThat(resyncs).containsExactly(ResyncReason.OVERFLOW);
    }

    @Test
    void eventOfADomainDestroyedWhileQueuedIsSkipped() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Integer> seen = new CopyOnWriteArrayList<>();
        try (Pipeline p = new Pipeline(Pipeline.options(2, 100))) {
            FakeQmpServer s = p.connectFake(dir, "vm1");
            p.register("t", blockingFirst(entered, release, seen));
            s.emit("SEQ", Map.of("n", 0));
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
            s.emit("SEQ", Map.of("n", 1));
            p.awaitDepth("vm1", 1); // queued behind the blocked processor; now the domain goes away
            s.close();
            awaitInactive(p, "vm1");
            release.countDown();
            JournalRecord skipped = p.recorded.awaitOne(r -> r.outcome() == Outcome.SKIPPED, DEADLINE);
            assertThat(skipped.domain()).isEqualTo("vm1");
            assertThat(skipped.error()).contains("not active");
            assertThat(skipped.latencyMicros()).isNull();
        }
        assertThat(seen).containsExactly(0);
    }

    @Test
    void aHandlerThatRunsAfterDomainEndProcessesTheEventsOfADomainThatHasGone() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Integer> seen = new CopyOnWriteArrayList<>();
        AtomicReference<Throwable> commandError = new AtomicReference<>();
        try (Pipeline p = new Pipeline(Pipeline.options(2, 100))) {
            FakeQmpServer s = p.connectFake(dir, "vm1");
            p.register("t", blockingFirst(entered, release, seen));
            p.register("end", Handler.on("SEQ", TestTypes.Seq.class).type(TestTypes.Type.SEQ).runAfterDomainEnd()
                    .process((ctx, e) -> {
                        if (e.payload().n() == 1) {
                            try {
                                ctx.monitor().execute("query-status", null);
                            } catch (MonitorClosedException ex) {
                                commandError.set(ex);
                            }
                        }
                    }));
            s.emit("SEQ", Map.of("n", 0));
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
            s.emit("SEQ", Map.of("n", 1));
            p.awaitDepth("vm1", 2); // both handlers' 1, behind the blocked processor
            s.close();
            awaitInactive(p, "vm1");
            release.countDown();
            p.recorded.await(r -> r.plugin() != null && r.plugin().equals("end") && r.outcome() == Outcome.PROCESSED,
                    2, DEADLINE);
            JournalRecord skipped = p.recorded.awaitOne(r -> r.outcome() == Outcome.SKIPPED, DEADLINE);
            assertThat(skipped.plugin()).isEqualTo("t");
        }
        assertThat(seen).containsExactly(0);
        assertThat(commandError.get()).isInstanceOf(MonitorClosedException.class);
    }

    @Test
    void aMonitorClosedUnderARunningProcessorIsASkipNotAFailure() throws Exception {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        CountDownLatch asked = new CountDownLatch(1);
        try (Pipeline p = new Pipeline(Pipeline.options(2, 100))) {
            FakeQmpServer s = p.connectFake(dir, "vm1");
            s.respond("query-rx-filter", args -> {
                asked.countDown();
                return Reply.none();
            });
            p.register("t", Handler.on("SEQ", TestTypes.Seq.class).type(TestTypes.Type.SEQ).process((ctx, e) -> {
                try {
                    ctx.monitor().execute("query-rx-filter", Map.of("name", "net0"));
                } catch (RuntimeException ex) {
                    thrown.set(ex);
                    throw ex;
                }
            }));
            s.emit("SEQ", Map.of("n", 0));
            assertThat(asked.await(10, TimeUnit.SECONDS)).isTrue();
            s.close();
            JournalRecord r = p.recorded.awaitOne(x -> x.event().equals("SEQ"), DEADLINE);
            assertThat(r.outcome()).isEqualTo(Outcome.SKIPPED);
            assertThat(r.error()).contains("MonitorClosedException");
            assertThat(r.processingMicros()).isNotNull();
        }
        assertThat(thrown.get()).isInstanceOf(MonitorClosedException.class);
    }

    @Test
    void throwingDecoderAndProcessorAreContainedAndTheReaderGoesOn() throws Exception {
        List<Integer> good = new CopyOnWriteArrayList<>();
        try (Pipeline p = new Pipeline(Pipeline.options(2, 100));
             FakeQmpServer s = p.connectFake(dir, "vm1")) {
            p.register("broken-decoder", Handler.on("SEQ", TestTypes.Unreadable.class).type(TestTypes.Type.BROKEN)
                    .process((ctx, e) -> { }));
            p.register("broken-initialiser", Handler.on("SEQ", TestTypes.Poisoned.class).type(TestTypes.Type.BROKEN)
                    .process((ctx, e) -> { }));
            p.register("broken-processor", Handler.on("SEQ", TestTypes.Seq.class).type(TestTypes.Type.BROKEN)
                    .process((ctx, e) -> {
                        throw new IllegalStateException("processor bug on " + e.payload().n());
                    }));
            p.register("good", Handler.on("SEQ", TestTypes.Seq.class).type(TestTypes.Type.SEQ)
                    .process((ctx, e) -> good.add(e.payload().n())));
            for (int i = 0; i < 3; i++) {
                s.emit("SEQ", Map.of("n", i));
            }
            p.recorded.await(r -> r.plugin() != null && r.plugin().equals("good"), 3, DEADLINE);
            List<JournalRecord> decoder = p.recorded.await(r -> "broken-decoder".equals(r.plugin()), 3, DEADLINE);
            List<JournalRecord> processor = p.recorded.await(r -> "broken-processor".equals(r.plugin()), 3, DEADLINE);
            List<JournalRecord> initialiser = p.recorded.await(r -> "broken-initialiser".equals(r.plugin()), 3,
                    DEADLINE);
            assertThat(initialiser).allSatisfy(r -> {
                assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
                assertThat(r.error()).startsWith("cannot decode data as Poisoned");
            });
            // The first try names the static initialiser's own failure; later ones the class it left unusable.
            assertThat(initialiser.get(0).error()).contains("static initialiser of Poisoned fails");
            assertThat(initialiser.get(2).error()).contains("NoClassDefFoundError");
            assertThat(decoder).allSatisfy(r -> {
                assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
                assertThat(r.error()).contains("cannot decode data as Unreadable").contains("refusing to decode");
            });
            assertThat(processor).allSatisfy(r -> {
                assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
                assertThat(r.error()).startsWith("IllegalStateException: processor bug on");
            });
        }
        assertThat(good).containsExactly(0, 1, 2);
    }

    @Test
    void anEventNoHandlerTakesIsJournaledUnhandled() throws Exception {
        try (Pipeline p = new Pipeline(Pipeline.options(1, 100));
             FakeQmpServer s = p.connectFake(dir, "vm1")) {
            p.register("t", Handler.on("SEQ", TestTypes.Seq.class).type(TestTypes.Type.SEQ).process((ctx, e) -> { }));
            s.emit("BALLOON_CHANGE", Map.of("actual", 1024), 7, 8);
            JournalRecord r = p.recorded.awaitOne(x -> x.event().equals("BALLOON_CHANGE"), DEADLINE);
            assertThat(r.outcome()).isEqualTo(Outcome.UNHANDLED);
            assertThat(r.plugin()).isNull();
            assertThat(r.qemuTime().toString()).isEqualTo("7.000008");
        }
    }

    @Test
    void aHandlerForEveryEventSeesAllOfThemAfterTheNamedHandlers() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (Pipeline p = new Pipeline(Pipeline.options(1, 100));
             FakeQmpServer s = p.connectFake(dir, "vm1")) {
            p.register("audit", Handler.onEveryEvent().type(TestTypes.Type.ALL).order(10)
                    .process((ctx, e) -> seen.add("audit:" + e.name() + ":" + e.payload())));
            p.register("seq", Handler.on("SEQ", TestTypes.Seq.class).type(TestTypes.Type.SEQ)
                    .process((ctx, e) -> seen.add("seq:" + e.payload().n())));
            s.emit("SEQ", Map.of("n", 1));
            s.emit("STOP", null);
            p.recorded.await(r -> r.outcome() == Outcome.PROCESSED, 3, DEADLINE);
        }
        assertThat(seen).containsExactly("seq:1", "audit:SEQ:{n=1}", "audit:STOP:{}");
    }

    @Test
    void aProcessorPastTheSlowThresholdIsReportedWhileItRuns() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (Pipeline p = new Pipeline(new WorkOptions(1, 100, false, Duration.ofMillis(100)));
             FakeQmpServer s = p.connectFake(dir, "vm1")) {
            p.register("t", Handler.on("SEQ", TestTypes.Seq.class).type(TestTypes.Type.SEQ)
                    .process((ctx, e) -> release.await()));
            s.emit("SEQ", Map.of("n", 0));
            JournalRecord slow = p.recorded.awaitOne(r -> r.outcome() == Outcome.SLOW, DEADLINE);
            assertThat(slow.processingMicros()).isGreaterThanOrEqualTo(100_000);
            assertThat(p.recorded.withOutcome(Outcome.PROCESSED)).isEmpty();
            release.countDown();
            p.recorded.awaitOne(r -> r.outcome() == Outcome.PROCESSED, DEADLINE);
        }
    }

    @Test
    void resyncHooksRunAfterConnectAndAfterReset() throws Exception {
        List<ResyncReason> reasons = new CopyOnWriteArrayList<>();
        try (Pipeline p = new Pipeline(Pipeline.options(1, 100))) {
            p.register("t", Handler.on("SEQ", TestTypes.Seq.class).type(TestTypes.Type.SEQ)
                    .resync((ctx, reason) -> reasons.add(reason)).process((ctx, e) -> { }));
            try (FakeQmpServer s = p.connectFake(dir, "vm1")) {
                p.recorded.awaitOne(r -> r.event().equals("resync/CONNECTED"), DEADLINE);
                s.emit("RESET", Map.of("guest", false, "reason", "host-qmp-system-reset"));
                p.recorded.awaitOne(r -> r.event().equals("resync/RESET"), DEADLINE);
            }
        }
        assertThat(reasons).containsExactly(ResyncReason.CONNECTED, ResyncReason.RESET);
    }

    @Test
    void eventsStillQueuedWhenTheStopDeadlinePassesAreJournaledAsSkipped() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Integer> seen = new CopyOnWriteArrayList<>();
        try (Pipeline p = new Pipeline(Pipeline.options(1, 100));
             FakeQmpServer s = p.connectFake(dir, "vm1")) {
            p.register("t", blockingFirst(entered, release, seen));
            for (int i = 0; i < 4; i++) {
                s.emit("SEQ", Map.of("n", i));
            }
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
            p.awaitDepth("vm1", 3);
            assertThat(p.queue.drainAndStop(Duration.ofMillis(200))).isFalse();
            // The three queued and the one still running: each has a record.
            List<JournalRecord> skipped = p.recorded.await(r -> r.outcome() == Outcome.SKIPPED, 4, DEADLINE);
            assertThat(skipped).allSatisfy(r -> assertThat(r.error()).contains("stop deadline"));
            assertThat(skipped).filteredOn(r -> r.error().contains("still ran")).hasSize(1);
            release.countDown();
        }
        assertThat(seen).containsExactly(0);
    }

    private static void awaitInactive(Pipeline p, String domain) throws InterruptedException {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (p.domains.get(domain).orElseThrow().isActive()) {
            assertThat(System.nanoTime()).as("%s becomes inactive", domain).isLessThan(end);
            Thread.sleep(5); // polling a state with a deadline
        }
    }
}
