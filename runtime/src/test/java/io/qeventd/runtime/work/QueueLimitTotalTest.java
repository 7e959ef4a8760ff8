package io.qeventd.runtime.work;

import static org.assertj.core.api.Assertions.assertThat;

import io.qeventd.api.EventType;
import io.qeventd.api.Handler;
import io.qeventd.runtime.journal.JournalRecord;
import io.qeventd.runtime.journal.Outcome;
import io.qeventd.runtime.testing.Pipeline;
import io.qeventd.testkit.qmp.FakeQmpServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** queueLimitTotal bounds what all domains queue together, so memory does not grow with the number of domains. */
class QueueLimitTotalTest {
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    enum Type implements EventType { HELD }

    @TempDir
    Path dir;

    @Test
    void domainsTogetherQueueNoMoreThanTheTotalAndTheRestOverflowsWithItsReason() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(1);
        WorkOptions options = new WorkOptions(1, 10, false, Duration.ofSeconds(10), Duration.ofSeconds(30), 12);
        List<FakeQmpServer> servers = new ArrayList<>();
        try (Pipeline p = new Pipeline(options)) {
            p.register("held", Handler.on("TICK", Map.class).type(Type.HELD).process((ctx, e) -> {
                running.countDown();
                release.await();
            }));
            for (String name : List.of("a", "b", "c")) {
                servers.add(p.connectFake(dir, name));
            }
            // One worker: the first event runs and holds it; the rest queue until 12 wait in all.
            servers.get(0).emit("TICK", Map.of("i", 0));
            assertThat(running.await(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
            for (FakeQmpServer s : servers) {
                for (int i = s == servers.get(0) ? 1 : 0; i < 6; i++) {
                    s.emit("TICK", Map.of("i", i));
                }
            }
            List<JournalRecord> overflowed = p.recorded.await(r -> r.outcome() == Outcome.OVERFLOW, 5, DEADLINE);
            release.countDown();
            p.recorded.await(r -> r.outcome() == Outcome.PROCESSED, 13, DEADLINE);

            // 18 events: 1 running, 12 queued (each domain under its own limit of 10), 5 over the total.
            assertThat(overflowed).allSatisfy(r -> assertThat(r.error())
                    .isEqualTo("the queues of all domains together are full (queueLimitTotal 12)"));
            assertThat(p.recorded.withOutcome(Outcome.OVERFLOW)).hasSize(5);
            assertThat(p.recorded.withOutcome(Outcome.PROCESSED)).hasSize(13);
        } finally {
            for (FakeQmpServer s : servers) {
                s.close();
            }
        }
    }
}
