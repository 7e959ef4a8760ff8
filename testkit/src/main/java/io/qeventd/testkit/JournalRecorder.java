package io.qeventd.testkit;

import io.qeventd.runtime.journal.JournalRecord;
import io.qeventd.runtime.journal.JournalSink;
import io.qeventd.runtime.journal.Outcome;
import io.qeventd.testkit.vm.Recording;
import java.util.List;

/**
 * Every journal record the harness's pipeline wrote (one per outcome of one event for one handler), and waiting
 * for the ones a test expects ({@link #await}, {@link #awaitOne}).
 */
public final class JournalRecorder extends Recording<JournalRecord> implements JournalSink {
    @Override
    public void record(JournalRecord record) {
        add(record);
    }

    /** The records of plugin {@code pluginId} with outcome {@code outcome}. */
    public List<JournalRecord> of(String pluginId, Outcome outcome) {
        return records(r -> pluginId.equals(r.plugin()) && r.outcome() == outcome);
    }

    /** The records of every plugin with outcome {@code outcome}. */
    public List<JournalRecord> withOutcome(Outcome outcome) {
        return records(r -> r.outcome() == outcome);
    }

    @Override
    protected String what() {
        return "journal records";
    }
}
