package io.qeventd.runtime.work;

import static org.assertj.core.api.Assertions.assertThat;

import io.qeventd.api.Handler;
import io.qeventd.runtime.journal.Outcome;
import io.qeventd.runtime.testing.Pipeline;
import io.qeventd.testkit.qmp.FakeQmpServer;
import io.qeventd.testkit.qmp.QmpLines;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineOrderTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void eventsOfOneDomainKeepQemuOrderWhileDomainsRunInParallel() throws Exception {
        int domains = 6;
        int perDomain = 3000;
        Map<String, List<Integer>> seen = new ConcurrentHashMap<>();
        Set<Thread> workersUsed = ConcurrentHashMap.newKeySet();
        try (Pipeline p = new Pipeline(Pipeline.options(4, 100_000))) {
            p.register("seq", Handler.on("SEQ", TestTypes.Seq.class).type(TestTypes.Type.SEQ)
                    .process((ctx, e) -> {
                        seen.computeIfAbsent(ctx.domain().name(), k -> new CopyOnWriteArrayList<>()).add(e.payload().n());
                        workersUsed.add(Thread.currentThread());
                    }));
            List<FakeQmpServer> servers = new ArrayList<>();
            try {
                for (int d = 0; d < domains; d++) {
                    FakeQmpServer s = FakeQmpServer.start(dir.resolve("vm" + d + ".qmp"));
                    servers.add(s);
                    p.attach("vm" + d, s.socket()).monitor().firstConnect().get(10, TimeUnit.SECONDS);
                    s.awaitClient(DEADLINE);
                }
                for (int d = 0; d < domains; d++) {
                    String name = "vm" + d;
                    servers.get(d).flood(perDomain, i -> QmpLines.event("SEQ", Map.of("n", i, "domain", name), 1, i));
                }
                p.recorded.await(r -> r.outcome() == Outcome.PROCESSED, domains * perDomain, DEADLINE);
            } finally {
                servers.forEach(FakeQmpServer::close);
            }
        }
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < perDomain; i++) {
            expected.add(i);
        }
        assertThat(seen).hasSize(domains);
        seen.forEach((domain, ns) -> assertThat(ns).as("order of %s", domain).containsExactlyElementsOf(expected));
        assertThat(workersUsed).as("domains spread over workers").hasSizeGreaterThan(1);
    }

    @Test
    void aStalledProcessorOnOneDomainDoesNotDelayAnother() throws Exception {
        CountDownLatch stalled = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (Pipeline p = new Pipeline(Pipeline.options(2, 1000));
             FakeQmpServer slow = FakeQmpServer.start(dir.resolve("slow.qmp"));
             FakeQmpServer fast = FakeQmpServer.start(dir.resolve("fast.qmp"))) {
            p.register("seq", Handler.on("SEQ", TestTypes.Seq.class).type(TestTypes.Type.SEQ)
                    .process((ctx, e) -> {
                        if (ctx.domain().name().equals("slow")) {
                            stalled.countDown();
                            release.await();
                        }
                    }));
            p.attach("slow", slow.socket()).monitor().firstConnect().get(10, TimeUnit.SECONDS);
            p.attach("fast", fast.socket()).monitor().firstConnect().get(10, TimeUnit.SECONDS);
            slow.awaitClient(DEADLINE);
            fast.awaitClient(DEADLINE);
            slow.emit("SEQ", Map.of("n", 0));
            slow.emit("SEQ", Map.of("n", 1));
            assertThat(stalled.await(10, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < 100; i++) {
                fast.emit("SEQ", Map.of("n", i));
            }
            p.recorded.await(r -> r.domain().equals("fast") && r.outcome() == Outcome.PROCESSED, 100, DEADLINE);
            assertThat(p.recorded.records(r -> r.domain().equals("slow"))).as("slow domain still stalled").isEmpty();
            assertThat(p.queue.depth("slow")).isEqualTo(1);
            release.countDown();
            p.recorded.await(r -> r.domain().equals("slow") && r.outcome() == Outcome.PROCESSED, 2, DEADLINE);
        }
    }

    @Test
    void globalFifoModeRunsEveryDomainOnOneWorkerInOrder() throws Exception {
        List<String> order = new CopyOnWriteArrayList<>();
        List<String> threads = new CopyOnWriteArrayList<>();
        try (Pipeline p = new Pipeline(new WorkOptions(1, 10_000, true, Duration.ofSeconds(10)));
             FakeQmpServer a = FakeQmpServer.start(dir.resolve("a.qmp"));
             FakeQmpServer b = FakeQmpServer.start(dir.resolve("b.qmp"))) {
            p.register("seq", Handler.on("SEQ", TestTypes.Seq.class).type(TestTypes.Type.SEQ)
                    .process((ctx, e) -> {
                        order.add(ctx.domain().name() + ":" + e.payload().n());
                        threads.add(Thread.currentThread().getName());
                    }));
            p.attach("a", a.socket()).monitor().firstConnect().get(10, TimeUnit.SECONDS);
            p.attach("b", b.socket()).monitor().firstConnect().get(10, TimeUnit.SECONDS);
            a.awaitClient(DEADLINE);
            b.awaitClient(DEADLINE);
            a.flood(500, i -> QmpLines.event("SEQ", Map.of("n", i), 1, 0));
            b.flood(500, i -> QmpLines.event("SEQ", Map.of("n", i), 1, 0));
            p.recorded.await(r -> r.outcome() == Outcome.PROCESSED, 1000, DEADLINE);
        }
        assertThat(threads.stream().distinct()).hasSize(1);
        for (String d : List.of("a", "b")) {
            List<String> mine = order.stream().filter(s -> s.startsWith(d + ":")).toList();
            assertThat(mine).hasSize(500);
            for (int i = 0; i < 500; i++) {
                assertThat(mine.get(i)).isEqualTo(d + ":" + i);
            }
        }
    }
}
