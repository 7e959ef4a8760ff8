package io.qeventd.runtime.journal;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where every outcome goes. {@link #record} counts the outcome and hands the record to a bounded,
 * lock-free queue; a dispatch thread of the journal's own delivers it to each sink (the JSON-lines file,
 * status counters, tests). So a monitor reader or a worker that records an outcome never waits for a lock,
 * a disk or a slow sink.
 *
 * <p>When the queue is full, a record is not queued: it is counted as lost, and once the queue has room
 * again the sinks receive one {@link Outcome#LOST} record saying how many were lost (and the log says it
 * too). Nothing is dropped in silence.
 */
public final class Journal implements JournalSink, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Journal.class);
    /** Records queued for the sinks at most (about 200 bytes each). */
    public static final int DEFAULT_CAPACITY = 65_536;
    private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    /**
     * How long the dispatcher waits for more records before flushing the sinks when its queue runs dry: a
     * trickle of records then costs the journal file one write a millisecond, not one per record.
     */
    private static final long GATHER_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final int capacity;
    private final List<JournalSink> sinks = new CopyOnWriteArrayList<>();
    private final AtomicLongArray counts = new AtomicLongArray(Outcome.values().length);
    private final ConcurrentLinkedQueue<Object> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong lost = new AtomicLong();
    private final AtomicLong sinkFailures = new AtomicLong();
    private long lostAnnounced;
    private final Thread dispatcher;
    private volatile boolean parked;
    private volatile boolean closed;

    /** A flush request: completed when every record queued before it has reached the sinks. */
    private record Flush(CompletableFuture<Void> done) {
    }

    public Journal() {
        this(DEFAULT_CAPACITY);
    }

    public Journal(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("journal capacity must be at least 1: " + capacity);
        }
        this.capacity = capacity;
        this.dispatcher = new Thread(this::dispatch, "journal-dispatch");
        dispatcher.setDaemon(true);
        dispatcher.start();
    }

    public void addSink(JournalSink sink) {
        sinks.add(sink);
    }

    public void removeSink(JournalSink sink) {
        sinks.remove(sink);
    }

    /** Counts the outcome and queues the record for the sinks; never blocks. */
    @Override
    public void record(JournalRecord record) {
        counts.incrementAndGet(record.outcome().ordinal());
        if (closed) {
            lost.incrementAndGet();
            return;
        }
        if (queued.incrementAndGet() > capacity) {
            queued.decrementAndGet();
            lost.incrementAndGet();
            return;
        }
        queue.offer(record);
        if (parked) {
            LockSupport.unpark(dispatcher);
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

    /** Records waiting for the sinks now. */
    public int backlog() {
        return Math.max(0, queued.get());
    }

    /** Records that found the queue full (or the journal closed) and never reached the sinks. */
    public long lost() {
        return lost.get();
    }

    public int capacity() {
        return capacity;
    }

    /**
     * Waits until every record handed in before this call has reached every sink, and the sinks have flushed.
     *
     * @return false when the deadline passed first
     */
    public boolean flush(Duration deadline) {
        if (!dispatcher.isAlive()) {
            return queue.isEmpty();
        }
        Flush f = new Flush(new CompletableFuture<>());
        queue.offer(f);
        LockSupport.unpark(dispatcher);
        try {
            f.done().get(deadline.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }

    /** Delivers what is queued (up to {@code deadline}), then stops the dispatcher; later records count as lost. */
    public boolean close(Duration deadline) {
        boolean flushed = flush(deadline);
        closed = true;
        LockSupport.unpark(dispatcher);
        try {
            dispatcher.join(TimeUnit.SECONDS.toMillis(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int left = backlog();
        if (left > 0) {
            log.warn("journal closed with {} record(s) not delivered to its sinks", left);
        }
        return flushed && left == 0;
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }

    private void dispatch() {
        boolean unflushed = false;
        boolean gathered = false;
        while (true) {
            Object o = queue.poll();
            if (o instanceof JournalRecord r) {
                queued.decrementAndGet();
                deliver(r);
                unflushed = true;
                continue;
            }
            if (o instanceof Flush f) {
                flushSinks();
                unflushed = false;
                gathered = false;
                f.done().complete(null);
                continue;
            }
            if (unflushed && !gathered && !closed) {
                // Producers do not wake this short wait (parked stays false); a flush request does.
                gathered = true;
                LockSupport.parkNanos(this, GATHER_NANOS);
                continue;
            }
            // Nothing queued: flush buffers, say what was lost, then wait for work.
            unflushed = false;
            gathered = false;
            flushSinks();
            announceLost();
            if (closed) {
                return;
            }
            parked = true;
            if (queue.isEmpty()) {
                LockSupport.parkNanos(this, IDLE_PARK_NANOS);
            }
            parked = false;
        }
    }

    private void announceLost() {
        long n = lost.get();
        if (n == lostAnnounced) {
            return;
        }
        long since = n - lostAnnounced;
        lostAnnounced = n;
        String what = since + " journal record(s) lost: the journal's queue was full (" + capacity + ")"
                + " or the journal was closed; " + n + " lost since start";
        log.warn("{}", what);
        counts.incrementAndGet(Outcome.LOST.ordinal());
        deliver(new JournalRecord(Instant.now(), null, "journal/lost", null, null, null, null, Outcome.LOST, null,
                null, what));
    }

    private void deliver(JournalRecord r) {
        for (JournalSink s : sinks) {
            try {
                s.record(r);
            } catch (RuntimeException | LinkageError | StackOverflowError e) {
                sinkFailed(s, e);
            }
        }
    }

    private void flushSinks() {
        for (JournalSink s : sinks) {
            try {
                s.flush();
            } catch (RuntimeException | LinkageError | StackOverflowError e) {
                sinkFailed(s, e);
            }
        }
    }

    private void sinkFailed(JournalSink s, Throwable e) {
        long n = sinkFailures.incrementAndGet();
        if (n == 1 || n % 1000 == 0) {
            log.error("journal sink {} failed ({} failure(s) so far): {}", s, n, e.toString(), e);
        }
    }
}
