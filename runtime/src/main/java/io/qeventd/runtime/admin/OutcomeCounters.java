package io.qeventd.runtime.admin;

import io.qeventd.runtime.journal.JournalRecord;
import io.qeventd.runtime.journal.JournalSink;
import io.qeventd.runtime.journal.Outcome;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts, from the journal, what each plugin's processors ran and which events nobody handled: the
 * per-plugin and per-event figures of the status, beside the journal's own per-outcome totals. Bounded: a
 * monitor sending ever new event names cannot grow it past {@link #MAX_NAMES} names.
 */
public final class OutcomeCounters implements JournalSink {
    private static final String RESYNC_PREFIX = "resync/";
    /** Distinct unhandled event names counted one by one; further names are counted together under OTHER. */
    static final int MAX_NAMES = 1024;
    static final String OTHER = "(other names)";

    private final Map<String, LongAdder> handled = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> failed = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> unhandled = new ConcurrentHashMap<>();

    @Override
    public void record(JournalRecord r) {
        if (r.outcome() == Outcome.UNHANDLED) {
            String name = unhandled.containsKey(r.event()) || unhandled.size() < MAX_NAMES ? r.event() : OTHER;
            count(unhandled, name);
            return;
        }
        if (r.plugin() == null || r.event().startsWith(RESYNC_PREFIX)) {
            return;
        }
        if (r.outcome() == Outcome.PROCESSED || r.outcome() == Outcome.FAILED) {
            count(handled, r.plugin());
            if (r.outcome() == Outcome.FAILED) {
                count(failed, r.plugin());
            }
        }
    }

    /** Events the plugin's processors ran for, whether they returned or threw. */
    public long handled(String pluginId) {
        return get(handled, pluginId);
    }

    /** Events the plugin's processors (or its decoders) failed on. */
    public long failed(String pluginId) {
        return get(failed, pluginId);
    }

    /** Events no handler took, by QMP event name, sorted by name. */
    public Map<String, Long> unhandled() {
        Map<String, Long> out = new TreeMap<>();
        unhandled.forEach((event, n) -> out.put(event, n.sum()));
        return out;
    }

    private static void count(Map<String, LongAdder> counts, String key) {
        counts.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    private static long get(Map<String, LongAdder> counts, String key) {
        LongAdder n = counts.get(key);
        return n == null ? 0 : n.sum();
    }
}
