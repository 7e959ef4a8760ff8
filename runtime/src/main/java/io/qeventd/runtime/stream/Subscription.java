package io.qeventd.runtime.stream;

import io.qeventd.runtime.journal.JournalRecord;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * One following client's bounded queue. The journal's dispatch thread offers (never waits: a record that does not
 * fit cuts the client off and is counted as missed, as is every later one it would have got); the client's writer
 * takes.
 */
final class Subscription {
    private final EventFilter filter;
    private final int capacity;
    private final ConcurrentLinkedQueue<JournalRecord> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicLong missed = new AtomicLong();
    private volatile boolean cut;
    private volatile boolean ended;
    private volatile Thread waiting;

    Subscription(EventFilter filter, int capacity) {
        this.filter = filter;
        this.capacity = capacity;
    }

    /** On the journal's dispatch thread: queue the record if the client wants it and it fits; never blocks. */
    void offer(JournalRecord r) {
        if (ended || !filter.matches(r)) {
            return;
        }
        if (cut) {
            missed.incrementAndGet();
            return;
        }
        if (size.incrementAndGet() > capacity) {
            size.decrementAndGet();
            missed.incrementAndGet();
            cut = true;
        } else {
            queue.offer(r);
        }
        Thread t = waiting;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /** The next record, waiting up to {@code nanos}; null when none came. The writer's thread only. */
    JournalRecord poll(long nanos) {
        JournalRecord r = queue.poll();
        if (r == null && !cut && nanos > 0) {
            waiting = Thread.currentThread();
            r = queue.poll();
            if (r == null && !cut) {
                LockSupport.parkNanos(this, nanos);
                r = queue.poll();
            }
            waiting = null;
        }
        if (r != null) {
            size.decrementAndGet();
        }
        return r;
    }

    /** The client fell {@code capacity} records behind: its stream ends with {@link #endCut()}. */
    boolean isCut() {
        return cut;
    }

    /**
     * Ends a cut-off stream: nothing more is counted, and what was still queued counts as missed too.
     *
     * @return every record the client wanted and does not get
     */
    long endCut() {
        ended = true;
        long dropped = 0;
        while (queue.poll() != null) {
            dropped++;
        }
        return missed.addAndGet(dropped);
    }

    /** Ends the stream; nothing more is queued. */
    void end() {
        ended = true;
        queue.clear();
    }
}
