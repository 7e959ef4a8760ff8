package io.qeventd.runtime.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qeventd.runtime.admin.AdminClient;
import io.qeventd.runtime.admin.AdminProtocol;
import io.qeventd.runtime.admin.AdminServer;
import io.qeventd.runtime.admin.AdminStreamReader;
import io.qeventd.runtime.config.EventsConfig;
import io.qeventd.runtime.journal.JournalRecord;
import io.qeventd.runtime.journal.Outcome;
import io.qeventd.runtime.testing.Eventually;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The live stream's parts: the recent ring, a follower's bounded queue and its cut-off count, the admin idle timeout. */
class EventsStreamTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private static JournalRecord record(String domain, String event, Outcome outcome, long seq) {
        return new JournalRecord(Instant.EPOCH, domain, event, null, null, null, null, outcome, null, null, null,
                List.of(), 1, seq, null);
    }

    @Test
    void theRecentRingKeepsTheLastRecordsOnly() {
        EventStream stream = new EventStream(new EventsConfig(3, 10));
        for (int i = 1; i <= 7; i++) {
            stream.record(record("vm1", "E" + i, Outcome.UNHANDLED, i));
        }

        assertThat(stream.recent()).extracting(JournalRecord::event).containsExactly("E5", "E6", "E7");
        assertThat(new EventStream(new EventsConfig(0, 10)).recent()).isEmpty();
    }

    @Test
    void aFollowerThatFallsBehindIsCutOffAndEveryRecordItWantedAndDidNotGetIsCounted() {
        EventStream stream = new EventStream(new EventsConfig(0, 3));
        Subscription s = stream.subscribe(new EventFilter(Set.of("vm1"), Set.of(), Set.of()));
        stream.record(record("vm1", "A", Outcome.PROCESSED, 1));
        assertThat(s.poll(0).event()).isEqualTo("A");
        for (int i = 2; i <= 10; i++) {
            stream.record(record("vm1", "B", Outcome.PROCESSED, i));
            stream.record(record("vm2", "B", Outcome.PROCESSED, i)); // not this client's: never counted
        }

        assertThat(s.isCut()).isTrue();
        assertThat(s.endCut()).as("9 wanted after A, none delivered").isEqualTo(9);
        stream.record(record("vm1", "C", Outcome.PROCESSED, 11));
        assertThat(s.poll(0)).as("an ended stream takes nothing more").isNull();
        stream.unsubscribe(s);
        assertThat(stream.followers()).isZero();
    }

    @Test
    void filtersSelectByDomainEventAndOutcome() {
        EventFilter f = EventFilter.fromArguments(JSON.valueToTree(Map.of("domain", "vm1",
                "event", List.of("STOP", "RESUME"), "outcome", "Processed")));

        assertThat(f.matches(record("vm1", "STOP", Outcome.PROCESSED, 1))).isTrue();
        assertThat(f.matches(record("vm2", "STOP", Outcome.PROCESSED, 1))).isFalse();
        assertThat(f.matches(record("vm1", "RESET", Outcome.PROCESSED, 1))).isFalse();
        assertThat(f.matches(record("vm1", "RESUME", Outcome.FAILED, 1))).isFalse();
        assertThat(f.matches(record(null, "journal/lost", Outcome.LOST, 0))).isFalse();
        assertThat(EventFilter.ALL.matches(record(null, "journal/lost", Outcome.LOST, 0))).isTrue();
    }

    @Test
    void aFollowerIsNotClosedByTheIdleTimeoutWhileAnIdleClientIs() throws Exception {
        EventStream stream = new EventStream(EventsConfig.defaults());
        Path socket = dir.resolve("admin.sock");
        try (AdminServer server = AdminServer.start(socket, Map.of(), Map.of(),
                Map.of(AdminProtocol.EVENTS, new EventsAdminCommand(stream)), Duration.ofMillis(300));
             AdminStreamReader follower = AdminClient.stream(socket, AdminProtocol.EVENTS,
                     JSON.readTree("{\"follow\": true}"), DEADLINE);
             SocketChannel idle = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            assertThat(follower.value().path("follow").asBoolean()).isTrue();
            idle.connect(UnixDomainSocketAddress.of(socket));
            // The idle timeout has passed once the silent client is closed.
            assertThat(idle.read(ByteBuffer.allocate(16))).as("the silent client is closed").isEqualTo(-1);
            Eventually.await("the follower subscribed", DEADLINE, () -> stream.followers() == 1);

            stream.record(record("vm1", "STOP", Outcome.UNHANDLED, 1));

            String line = follower.next(DEADLINE.toMillis());
            assertThat(line).as("the follower still streams").isNotNull();
            JsonNode r = JSON.readTree(line).get("record");
            assertThat(r.path("event").asText()).isEqualTo("STOP");
            assertThat(r.has("data")).as("data only when asked").isFalse();
        }
        Eventually.await("the follower's subscription ends with its connection", DEADLINE,
                () -> stream.followers() == 0);
    }
}
