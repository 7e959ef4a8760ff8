package io.qeventd.runtime.blockhound;

import static org.assertj.core.api.Assertions.assertThat;

import io.qeventd.api.EventType;
import io.qeventd.api.Handler;
import io.qeventd.runtime.journal.JournalRecord;
import io.qeventd.runtime.journal.Outcome;
import io.qeventd.runtime.monitor.MonitorConnection;
import io.qeventd.runtime.monitor.MonitorListener;
import io.qeventd.runtime.monitor.MonitorOptions;
import io.qeventd.runtime.monitor.MonitorReactor;
import io.qeventd.runtime.qmp.QmpMessage;
import io.qeventd.runtime.record.RecordingTap;
import io.qeventd.testkit.qmp.FakeQmpServer;
import io.qeventd.testkit.qmp.QmpLines;
import io.qeventd.testkit.qmp.Reply;
import io.qeventd.runtime.testing.Pipeline;
import io.qeventd.runtime.testing.RecordingJournal;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.blockhound.BlockHound;

/**
 * The monitor reader's discipline, enforced: with BlockHound watching every reader thread, any blocking call
 * made on one (sleep, wait, park on a contended lock, file or console I/O, starting a process) is recorded with
 * its stack, and each scenario fails if there was one. The scenarios drive what touches the reader: floods
 * with overflow and coalescing, resyncs, malformed lines and unknown replies (logging), status queries and
 * plugin reloads from other threads.
 *
 * <p>Runs in a JVM of its own (surefire execution "blockhound"), since BlockHound instruments the JDK.
 */
@Tag("blockhound")
class ReaderNeverBlocksTest {
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final long MARKER_SECONDS = 999;
    private static final List<Throwable> VIOLATIONS = new CopyOnWriteArrayList<>();

    @TempDir
    Path dir;

    enum Type implements EventType { SEQ, NIC, RESET, ALL }

    record Seq(int n) {
    }

    record Nic(String name) {
    }

    @BeforeAll
    static void install() {
        BlockHound.builder()
                .nonBlockingThreadPredicate(p -> p.or(MonitorReactor::isReaderThread))
                // The non-blocking log appender enqueues under a lock that every thread holds for one constant-time
                // step (ArrayBlockingQueue.offer); it never waits for room. Parking there is a brief contention,
                // not a wait for I/O or for another thread's work.
                .allowBlockingCallsInside("ch.qos.logback.core.AsyncAppenderBase", "append")
                // Writing a log line to a stream is I/O wherever the stream goes (the test runner captures stderr
                // through buffers of its own, which would hide a full pipe): count it as blocking.
                .markAsBlocking("ch.qos.logback.core.OutputStreamAppender", "writeBytes", "([B)V")
                .blockingMethodCallback(m -> VIOLATIONS.add(new Error("blocking call on a reader thread: " + m)))
                .install();
    }

    @BeforeEach
    void clear() {
        VIOLATIONS.clear();
    }

    @Test
    void blockHoundCatchesABlockingCallOnAReaderThread() throws Exception {
        // Proof that the watch is on: a listener that sleeps on the reader is caught.
        try (MonitorReactor reactor = new MonitorReactor(1, new com.fasterxml.jackson.databind.ObjectMapper());
             FakeQmpServer s = FakeQmpServer.start(dir.resolve("vm.qmp"))) {
            CompletableFuture<Void> slept = new CompletableFuture<>();
            MonitorConnection m = reactor.open("vm", UnixDomainSocketAddress.of(s.socket()),
                    MonitorOptions.defaults().withReconnect(false), new MonitorListener() {
                        @Override
                        public void event(MonitorConnection monitor, QmpMessage.Event event, long nanos, Instant at) {
                            try {
                                Thread.sleep(1);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            slept.complete(null);
                        }
                    });
            m.firstConnect().get(10, TimeUnit.SECONDS);
            s.awaitClient(DEADLINE);
            s.emit("STOP", null);
            slept.get(10, TimeUnit.SECONDS);
        }
        assertThat(VIOLATIONS).isNotEmpty();
        assertThat(VIOLATIONS.get(0).getMessage()).contains("sleep");
    }

    @Test
    void floodsWithOverflowCoalescingResyncsAndBadInputNeverBlockTheReader() throws Exception {
        try (Pipeline p = new Pipeline(Pipeline.options(2, 64));
             FakeQmpServer s = FakeQmpServer.start(dir.resolve("vm1.qmp"))) {
            p.attach("vm1", s.socket()).monitor().firstConnect().get(10, TimeUnit.SECONDS);
            s.awaitClient(DEADLINE);
            p.register("seq", Handler.on("SEQ", Seq.class).type(Type.SEQ)
                    .resync((ctx, reason) -> ctx.log().info("resync {}", reason))
                    .process((ctx, e) -> {
                        if (e.payload().n() % 5000 == 0) {
                            Thread.sleep(20); // a slow processor: the workers may block, the reader may not
                            ctx.log().info("processed {}", e.payload().n());
                        }
                    }));
            p.register("nic", Handler.on("NIC_RX_FILTER_CHANGED", Nic.class).type(Type.NIC).coalesceBy(Nic::name)
                    .process((ctx, e) -> { }));
            p.register("audit", Handler.onEveryEvent().type(Type.ALL).process((ctx, e) -> { }));
            int n = 20_000;
            s.flood(n, i -> switch (i % 10) {
                case 0 -> QmpLines.event("NIC_RX_FILTER_CHANGED", Map.of("name", "net" + (i % 3)), 1, i);
                case 1 -> QmpLines.event("RESET", Map.of("guest", false), 1, i);
                case 2 -> QmpLines.event("NOBODY_HANDLES_THIS", null, 1, i);
                case 3 -> "{\"this is\": not json}";
                case 4 -> "{\"return\": {}, \"id\": " + (100_000 + i) + "}";
                default -> QmpLines.event("SEQ", Map.of("n", i), 1, i);
            }).get(30, TimeUnit.SECONDS);
            s.emit("SEQ", Map.of("n", -1), MARKER_SECONDS, 0);
            p.recorded.awaitOne(ReaderNeverBlocksTest::marker, DEADLINE);
            assertThat(p.recorded.records(r -> r.outcome() == Outcome.OVERFLOW)).as("the flood overflowed").isNotEmpty();
        }
        assertNoViolations();
    }

    @Test
    void statusQueriesAndReloadsRacingAFloodNeverBlockTheReader() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        RecordingJournal recorded;
        try (Pipeline p = new Pipeline(Pipeline.options(2, 256));
             FakeQmpServer s = FakeQmpServer.start(dir.resolve("vm1.qmp"))) {
            p.attach("vm1", s.socket()).monitor().firstConnect().get(10, TimeUnit.SECONDS);
            s.awaitClient(DEADLINE);
            p.register("seq", "1.0.0", List.of(Handler.on("SEQ", Seq.class).type(Type.SEQ).process((ctx, e) -> { })));
            Thread status = new Thread(() -> {
                while (!stop.get()) {
                    p.queue.depth("vm1");
                    p.queue.queuedFor("seq");
                    p.queue.pendingResyncs("vm1");
                    p.journal.counts();
                }
            }, "status-queries");
            Thread reloads = new Thread(() -> {
                int v = 1;
                while (!stop.get()) {
                    // The reload protocol as the event pipeline sees it: hold, drain, swap the table, release.
                    p.registry.hold("seq");
                    try {
                        p.registry.awaitIdle("seq", Duration.ofSeconds(5));
                    } catch (InterruptedException e) {
                        return;
                    }
                    p.register("seq", "1.0." + (++v), List.of(Handler.on("SEQ", Seq.class).type(Type.SEQ)
                            .process((ctx, e) -> { })));
                    p.registry.release("seq");
                }
            }, "reloads");
            status.start();
            reloads.start();
            s.flood(20_000, i -> QmpLines.event("SEQ", Map.of("n", i), 1, i)).get(30, TimeUnit.SECONDS);
            s.emit("SEQ", Map.of("n", -1), MARKER_SECONDS, 0);
            // The marker may overflow (its record then comes at once): wait for every event's record instead.
            p.recorded.await(r -> r.event().equals("SEQ"), 20_001, DEADLINE);
            stop.set(true);
            status.join(10_000);
            reloads.join(10_000);
            recorded = p.recorded;
        }
        // The pipeline is closed and its journal flushed: no event has a second record.
        assertThat(recorded.records(r -> r.event().equals("SEQ"))).as("every event has exactly one record")
                .hasSize(20_001);
        assertNoViolations();
    }

    @Test
    void aRecordingTapAttachedDuringAFloodNeverBlocksTheReader() throws Exception {
        RecordingTap tap = new RecordingTap(1_000, 1024 * 1024); // small, and not drained: the floods overflow it
        try (Pipeline p = new Pipeline(Pipeline.options(2, 256));
             FakeQmpServer s = FakeQmpServer.start(dir.resolve("vm1.qmp"))) {
            MonitorConnection monitor = p.attach("vm1", s.socket()).monitor();
            monitor.firstConnect().get(10, TimeUnit.SECONDS);
            s.awaitClient(DEADLINE);
            p.register("seq", Handler.on("SEQ", Seq.class).type(Type.SEQ).process((ctx, e) -> { }));
            s.respond("query-status", cmd -> Reply.ok(Map.of("status", "running")));
            CompletableFuture<Void> flood = s.flood(20_000, i -> QmpLines.event("SEQ", Map.of("n", i), 1, i));
            assertThat(monitor.attachTap(tap)).isTrue();
            assertThat(monitor.attachTap(new RecordingTap())).as("one tap at a time").isFalse();
            for (int i = 0; i < 20; i++) {
                // Commands go out through the tap too, on the reader thread.
                monitor.send("query-status", null, null).get(10, TimeUnit.SECONDS);
            }
            flood.get(30, TimeUnit.SECONDS);
            s.flood(5_000, i -> QmpLines.event("SEQ", Map.of("n", i), 2, i)).get(30, TimeUnit.SECONDS);
            s.emit("SEQ", Map.of("n", -1), MARKER_SECONDS, 0);
            p.recorded.awaitOne(ReaderNeverBlocksTest::marker, DEADLINE);
            monitor.detachTap(tap);
        }
        assertThat(tap.overflowed()).as("the floods overflowed the tap's queue").isTrue();
        assertThat(tap.dropped()).isPositive();
        int drained = 0;
        while (tap.poll(0) != null) {
            drained++;
        }
        assertThat(drained).as("lines the tap kept, up to its bound").isEqualTo(1_000);
        assertNoViolations();
    }

    /** The record of the closing marker event (QEMU time 999 s, which the floods never use). */
    private static boolean marker(JournalRecord r) {
        return "seq".equals(r.plugin()) && r.event().equals("SEQ") && r.outcome() != Outcome.SLOW
                && r.qemuTime() != null && r.qemuTime().isKnown() && r.qemuTime().seconds() == MARKER_SECONDS;
    }

    private static void assertNoViolations() {
        assertThat(VIOLATIONS).as(() -> VIOLATIONS.stream().map(ReaderNeverBlocksTest::stack)
                .collect(Collectors.joining("\n\n"))).isEmpty();
    }

    private static String stack(Throwable t) {
        StringBuilder b = new StringBuilder(t.getMessage());
        for (StackTraceElement e : t.getStackTrace()) {
            b.append("\n  at ").append(e);
        }
        return b.toString();
    }
}
