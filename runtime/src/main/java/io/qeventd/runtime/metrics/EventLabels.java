package io.qeventd.runtime.metrics;

import io.qeventd.api.ResyncReason;
import io.qeventd.runtime.dispatch.EventTable;
import io.qeventd.runtime.plugin.QemuEventNames;
import java.util.Arrays;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The {@code event} label of an outcome. QEMU names its events as it likes, and a hostile QEMU could send a
 * million distinct names: only names of the QEMU events catalogue, names some loaded handler takes (the event
 * table), the runtime's own {@code resync/REASON} and {@code journal/...} summaries keep their name; every other name is
 * counted as {@value #OTHER}. Journal dispatch thread only.
 */
final class EventLabels {
    static final String OTHER = "other";
    /** The journal's own summaries. */
    private static final Set<String> JOURNAL = Set.of("journal/lost", "journal/torn-tail");
    private static final Set<String> RESYNCS = Arrays.stream(ResyncReason.values())
            .map(r -> "resync/" + r.name())
            .collect(Collectors.toUnmodifiableSet());

    private final Supplier<EventTable> table;
    private long generation = -1;
    private Set<String> tableNames = Set.of();

    /** @param table the current event table (lock-free) */
    EventLabels(Supplier<EventTable> table) {
        this.table = table;
    }

    String of(String event) {
        if (event == null) {
            return OTHER;
        }
        if (QemuEventNames.isKnown(event) || RESYNCS.contains(event) || JOURNAL.contains(event)) {
            return event;
        }
        EventTable t = table.get();
        if (t.generation() != generation) {
            tableNames = Set.copyOf(t.eventNames());
            generation = t.generation();
        }
        return tableNames.contains(event) ? event : OTHER;
    }
}
