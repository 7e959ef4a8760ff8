package io.qeventd.runtime.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.qeventd.runtime.journal.JournalRecord;
import io.qeventd.runtime.journal.Outcome;
import io.qeventd.runtime.monitor.MonitorOptions;
import io.qeventd.runtime.testing.Eventually;
import io.qeventd.runtime.testing.Pipeline;
import io.qeventd.testkit.qmp.FakeQmpServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records of an event name it by connection and number, so that a consumer downstream (a forwarder, a stream
 * client) can drop duplicates; and they carry the event's data as QEMU sent it.
 */
class EventIdentityTest {
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void eventsAreNumberedPerConnectionAndANewConnectionHasALargerId() throws Exception {
        try (Pipeline p = new Pipeline(Pipeline.options(1, 100));
             FakeQmpServer qemu = FakeQmpServer.start(dir.resolve("vm1.qmp"))) {
            DomainHandle d = p.attach("vm1", qemu.socket(),
                    MonitorOptions.defaults().withReconnectDelays(Duration.ofMillis(10), Duration.ofMillis(50)));
            d.monitor().firstConnect().get(10, TimeUnit.SECONDS);
            qemu.awaitClient(DEADLINE);
            for (int i = 1; i <= 3; i++) {
                qemu.emit("SEQ_A", Map.of("n", i));
            }
            List<JournalRecord> first = p.recorded.await(r -> r.event().equals("SEQ_A"), 3, DEADLINE);

            qemu.disconnect();
            qemu.awaitClient(DEADLINE);
            Eventually.await("the monitor reconnected", DEADLINE,
                    () -> d.connection() > first.get(0).connection());
            qemu.emit("SEQ_B", Map.of("n", 4));
            qemu.emit("SEQ_B", null);
            List<JournalRecord> second = p.recorded.await(r -> r.event().equals("SEQ_B"), 2, DEADLINE);

            assertThat(first).allMatch(r -> r.outcome() == Outcome.UNHANDLED)
                    .extracting(JournalRecord::seq).containsExactly(1L, 2L, 3L);
            long c1 = first.get(0).connection();
            assertThat(c1).isPositive();
            assertThat(first).allMatch(r -> r.connection() == c1);
            // Byte for byte as the monitor sent it.
            assertThat(new String(first.get(1).data(), StandardCharsets.UTF_8)).isEqualTo("{\"n\": 2}");

            assertThat(second).extracting(JournalRecord::seq).containsExactly(1L, 2L);
            assertThat(second.get(0).connection()).isGreaterThan(c1);
            assertThat(second.get(1).data()).isNull();
        }
    }
}
