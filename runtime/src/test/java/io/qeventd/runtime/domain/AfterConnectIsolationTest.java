package io.qeventd.runtime.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.qeventd.testkit.qmp.FakeQmpServer;
import io.qeventd.testkit.qmp.Reply;
import io.qeventd.runtime.testing.Pipeline;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AfterConnectIsolationTest {
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void aMonitorThatNeverAnswersItsAfterConnectQueriesDelaysNoOtherDomain() throws Exception {
        CountDownLatch answerSilentOne = new CountDownLatch(1);
        List<String> connectedInOrder = new CopyOnWriteArrayList<>();
        try (Pipeline p = new Pipeline(Pipeline.options(2, 100));
             FakeQmpServer silent = FakeQmpServer.start(dir.resolve("silent.qmp"));
             FakeQmpServer fine = FakeQmpServer.start(dir.resolve("fine.qmp"))) {
            silent.respond("query-uuid", args -> {
                try {
                    answerSilentOne.await(); // holds the answer until the other domain is through
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return Reply.ok(Map.of("UUID", "11111111-1111-1111-1111-111111111111"));
            });
            fine.respond("query-uuid", args -> Reply.ok(Map.of("UUID", "22222222-2222-2222-2222-222222222222")));
            p.domains.onConnect(d -> connectedInOrder.add(d.name()));

            p.attach("silent", silent.socket());
            silent.awaitCommand("query-uuid", DEADLINE);
            p.attach("fine", fine.socket());

            long end = System.nanoTime() + DEADLINE.toNanos();
            while (!connectedInOrder.contains("fine")) {
                assertThat(System.nanoTime()).as("the fine domain's after-connect work finishes").isLessThan(end);
                Thread.sleep(10); // polling a list another thread fills, with a deadline
            }
            assertThat(connectedInOrder).containsExactly("fine");
            assertThat(p.domains.get("fine").orElseThrow().uuid()).contains("22222222-2222-2222-2222-222222222222");
            answerSilentOne.countDown();
            end = System.nanoTime() + DEADLINE.toNanos();
            while (connectedInOrder.size() < 2) {
                assertThat(System.nanoTime()).as("the silent domain's work ends too").isLessThan(end);
                Thread.sleep(10); // polling, as above
            }
        }
        assertThat(connectedInOrder).containsExactly("fine", "silent");
    }
}
