package io.qeventd.runtime.journal;

/** Receives journal records; called from worker and reader threads, so it must be quick and thread safe. */
@FunctionalInterface
public interface JournalSink {
    void record(JournalRecord record);
}
