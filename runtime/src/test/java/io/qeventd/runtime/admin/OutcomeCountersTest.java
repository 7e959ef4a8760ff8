package io.qeventd.runtime.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.qeventd.runtime.journal.JournalRecord;
import io.qeventd.runtime.journal.Outcome;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class OutcomeCountersTest {

    private static JournalRecord unhandled(String event) {
        return new JournalRecord(Instant.now(), "vm1", event, null, null, null, null, Outcome.UNHANDLED, null, null, null);
    }

    @Test
    void everNewEventNamesCannotGrowTheCountersPastTheirBound() {
        OutcomeCounters c = new OutcomeCounters();
        for (int i = 0; i < 300_000; i++) {
            c.record(unhandled("EVENT_" + i));
        }
        c.record(unhandled("EVENT_7"));
        assertThat(c.unhandled()).hasSize(OutcomeCounters.MAX_NAMES + 1);
        assertThat(c.unhandled().get("EVENT_7")).isEqualTo(2);
        assertThat(c.unhandled().get(OutcomeCounters.OTHER)).isEqualTo(300_000 - OutcomeCounters.MAX_NAMES);
    }
}
