package io.qeventd.testkit;

import io.qeventd.runtime.journal.JournalRecord;
import io.qeventd.runtime.journal.JournalSink;
import io.qeventd.runtime.journal.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * Every journal record the harness's pipeline wrote (one per outcome of one event for one handler), and waiting
 * for the ones a test expects.
 */
public final class JournalRecorder implements JournalSink {
    private final List<JournalRecord> records = new ArrayList<>();

    @Override
    public synchronized void record(JournalRecord record) {
        records.add(record);
        notifyAll();
    }

    public synchronized List<JournalRecord> records() {
        return List.copyOf(records);
    }

    public synchronized List<JournalRecord> records(Predicate<JournalRecord> filter) {
        return records.stream().filter(filter).toList();
    }

    /** The records of plugin {@code pluginId} with outcome {@code outcome}. */
    public List<JournalRecord> of(String pluginId, Outcome outcome) {
        return records(r -> pluginId.equals(r.plugin()) && r.outcome() == outcome);
    }

    /** Waits until at least {@code count} records match, and returns the matching ones. */
    public synchronized List<JournalRecord> await(Predicate<JournalRecord> filter, int count, Duration deadline)
            throws InterruptedException, TimeoutException {
        long end = System.nanoTime() + deadline.toNanos();
        while (true) {
            List<JournalRecord> matching = records.stream().filter(filter).toList();
            if (matching.size() >= count) {
                return matching;
            }
            long left = end - System.nanoTime();
            if (left <= 0) {
                throw new TimeoutException("expected " + count + " matching journal records within "
                        + deadline.toMillis() + " ms, got " + matching.size() + "; all records: " + records);
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    public JournalRecord awaitOne(Predicate<JournalRecord> filter, Duration deadline)
            throws InterruptedException, TimeoutException {
        return await(filter, 1, deadline).get(0);
    }
}
