package io.qeventd.runtime.stream;

import io.qeventd.runtime.journal.JournalRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The last {@code capacity} journal records, for {@code qeventd events} without {@code --follow}. One thread adds
 * (the journal's dispatch thread) without a lock; any thread takes a snapshot, which skips a slot overwritten while
 * it looked (that record had just fallen out of the window anyway).
 */
final class RecentRecords {
    private record Slot(long number, JournalRecord record) {
    }

    private final int capacity;
    private final AtomicReferenceArray<Slot> slots;
    private final AtomicLong added = new AtomicLong();

    RecentRecords(int capacity) {
        this.capacity = capacity;
        this.slots = new AtomicReferenceArray<>(Math.max(1, capacity));
    }

    int capacity() {
        return capacity;
    }

    /** Adds a record; one thread only. */
    void add(JournalRecord r) {
        if (capacity == 0) {
            return;
        }
        long n = added.get();
        slots.set((int) (n % capacity), new Slot(n, r));
        added.set(n + 1);
    }

    /** The records kept now, oldest first. */
    List<JournalRecord> snapshot() {
        long end = added.get();
        long start = Math.max(0, end - capacity);
        List<JournalRecord> out = new ArrayList<>((int) (end - start));
        for (long n = start; n < end; n++) {
            Slot s = slots.get((int) (n % capacity));
            if (s != null && s.number() == n) {
                out.add(s.record());
            }
        }
        return out;
    }
}
