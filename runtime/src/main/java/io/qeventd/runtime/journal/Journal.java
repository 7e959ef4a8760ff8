package io.qeventd.runtime.journal;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLongArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Where every outcome goes: counted here, then handed to each sink (the JSON-lines file, status, tests). */
public final class Journal implements JournalSink {
    private static final Logger log = LoggerFactory.getLogger(Journal.class);

    private final List<JournalSink> sinks = new CopyOnWriteArrayList<>();
    private final AtomicLongArray counts = new AtomicLongArray(Outcome.values().length);

    public void addSink(JournalSink sink) {
        sinks.add(sink);
    }

    public void removeSink(JournalSink sink) {
        sinks.remove(sink);
    }

    @Override
    public void record(JournalRecord record) {
        counts.incrementAndGet(record.outcome().ordinal());
        for (JournalSink s : sinks) {
            try {
                s.record(record);
            } catch (RuntimeException e) {
                log.error("journal sink {} failed", s, e);
            }
        }
    }

    /** How many records of each outcome so far. */
    public Map<Outcome, Long> counts() {
        Map<Outcome, Long> m = new EnumMap<>(Outcome.class);
        for (Outcome o : Outcome.values()) {
            m.put(o, counts.get(o.ordinal()));
        }
        return m;
    }
}
