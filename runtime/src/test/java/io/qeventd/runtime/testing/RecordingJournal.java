package io.qeventd.runtime.testing;

import io.qeventd.runtime.journal.JournalRecord;
import io.qeventd.runtime.journal.JournalSink;
import io.qeventd.runtime.journal.Outcome;
import io.qeventd.testkit.vm.Recording;
import java.util.List;

/** A journal sink that keeps every record and lets a test wait for the records it expects. */
public final class RecordingJournal extends Recording<JournalRecord> implements JournalSink {
    @Override
    public void record(JournalRecord record) {
        add(record);
    }

    public List<JournalRecord> withOutcome(Outcome outcome) {
        return records(r -> r.outcome() == outcome);
    }

    @Override
    protected String what() {
        return "journal records";
    }
}
