package io.qeventd.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qeventd.api.QemuTimestamp;
import io.qeventd.runtime.journal.JournalJson;
import io.qeventd.runtime.journal.JournalRecord;
import io.qeventd.runtime.journal.Outcome;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The value, key and id of a forwarded record. */
class KafkaRecordFormatTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T = Instant.parse("2026-12-02T10:00:00.123456Z");

    @Test
    void theValueIsTheJournalsJsonWithDataThenHostAndId() throws Exception {
        JournalRecord r = event("vm1", "lifecycle", Outcome.PROCESSED);
        ForwardedRecord f = ForwardedRecord.of(r, "hv01");
        JsonNode v = JSON.readTree(f.value());
        JsonNode journal = JSON.readTree(JournalJson.toJson(r, true));
        Iterator<String> names = journal.fieldNames();
        while (names.hasNext()) {
            String n = names.next();
            assertThat(v.get(n)).as(n).isEqualTo(journal.get(n));
        }
        assertThat(v.path("data").path("reason").asText()).isEqualTo("host-qmp-stop");
        assertThat(v.path("host").asText()).isEqualTo("hv01");
        assertThat(v.path("id").asText()).isEqualTo("hv01/vm1/1700000000000/42/STOP/lifecycle/stop/processed");
        assertThat(f.key()).isEqualTo("hv01/vm1");
    }

    @Test
    void recordsOfOneEventHaveIdsOfTheirOwn() {
        assertThat(List.of(
                ForwardedRecord.id(event("vm1", "lifecycle", Outcome.PROCESSED), "hv01"),
                ForwardedRecord.id(event("vm1", "lifecycle", Outcome.SLOW), "hv01"),
                ForwardedRecord.id(event("vm1", "audit", Outcome.PROCESSED), "hv01"),
                ForwardedRecord.id(event("vm1", null, Outcome.UNHANDLED), "hv01"),
                ForwardedRecord.id(event("vm1", "lifecycle", Outcome.PROCESSED), "hv02")))
                .doesNotHaveDuplicates();
    }

    @Test
    void aSummaryOfNoDomainIsKeyedByHostAndNamedByItsTime() {
        JournalRecord lost = new JournalRecord(T, null, "journal/lost", null, null, null, null, Outcome.LOST, null,
                null, "3 journal record(s) lost");
        ForwardedRecord f = ForwardedRecord.of(lost, "hv01");
        assertThat(f.key()).isEqualTo("hv01");
        assertThat(f.id()).isEqualTo("hv01/-/0/1796205600123456/journal/lost/-/-/lost");
    }

    @Test
    void theSpooledValueGivesBackItsKeyAndId() {
        ForwardedRecord f = ForwardedRecord.of(event("vm/\"1\"", "lifecycle", Outcome.FAILED), "hv01");
        ForwardedRecord back = ForwardedRecord.parse(f.value());
        assertThat(back.key()).isEqualTo(f.key()).isEqualTo("hv01/vm/\"1\"");
        assertThat(back.id()).isEqualTo(f.id());
    }

    private static JournalRecord event(String domain, String plugin, Outcome outcome) {
        return new JournalRecord(T, domain, "STOP", QemuTimestamp.UNKNOWN, plugin, plugin == null ? null : "1.0",
                plugin == null ? null : "stop", outcome, 12L, 3L, null, List.of(), 1_700_000_000_000L, 42,
                "{\"reason\":\"host-qmp-stop\"}".getBytes(StandardCharsets.UTF_8));
    }
}
