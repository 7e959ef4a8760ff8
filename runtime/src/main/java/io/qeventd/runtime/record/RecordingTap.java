package io.qeventd.runtime.record;

import io.qeventd.runtime.monitor.MonitorTap;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A tap on a domain's monitor for {@code qeventd record --domain}: copies each line, with the time it passed, into a
 * bounded lock-free queue that the recording client's admin thread drains. On the reader thread it only copies,
 * counts and queues; when the queue is full (the client does not keep up) it stops queueing, counts what it drops,
 * and the recording ends there rather than leave a hole in it.
 */
public final class RecordingTap implements MonitorTap {
    /** Lines queued at most. */
    public static final int MAX_LINES = 65_536;
    /** Bytes queued at most (a reply can be megabytes). */
    public static final long MAX_BYTES = 64L * 1024 * 1024;

    /**
     * One line as it passed.
     *
     * @param at       when the reader saw it
     * @param fromQemu QEMU sent it; otherwise the daemon wrote it
     * @param line     the line without its line end
     */
    public record Tapped(Instant at, boolean fromQemu, byte[] line) {
    }

    private final int maxLines;
    private final long maxBytes;
    private final ConcurrentLinkedQueue<Tapped> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger lines = new AtomicInteger();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean overflowed;
    private volatile Thread waiting;

    public RecordingTap() {
        this(MAX_LINES, MAX_BYTES);
    }

    public RecordingTap(int maxLines, long maxBytes) {
        this.maxLines = maxLines;
        this.maxBytes = maxBytes;
    }

    @Override
    public void received(byte[] buf, int off, int len) {
        add(true, buf, off, len);
    }

    @Override
    public void sent(byte[] buf, int off, int len) {
        int end = off + len;
        while (end > off && (buf[end - 1] == '\n' || buf[end - 1] == '\r')) {
            end--;
        }
        add(false, buf, off, end - off);
    }

    private void add(boolean fromQemu, byte[] buf, int off, int len) {
        if (overflowed) {
            dropped.incrementAndGet();
            return;
        }
        if (lines.incrementAndGet() > maxLines || bytes.addAndGet(len) > maxBytes) {
            overflowed = true;
            dropped.incrementAndGet();
        } else {
            queue.offer(new Tapped(Instant.now(), fromQemu, Arrays.copyOfRange(buf, off, off + len)));
        }
        Thread t = waiting;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /** The next line, waiting up to {@code nanos}; null when none came. One consumer thread only. */
    public Tapped poll(long nanos) {
        Tapped t = queue.poll();
        if (t == null && !overflowed && nanos > 0) {
            waiting = Thread.currentThread();
            t = queue.poll();
            if (t == null && !overflowed) {
                LockSupport.parkNanos(this, nanos);
                t = queue.poll();
            }
            waiting = null;
        }
        if (t != null) {
            lines.decrementAndGet();
            bytes.addAndGet(-t.line().length);
        }
        return t;
    }

    /** The queue filled up: nothing has been queued since. */
    public boolean overflowed() {
        return overflowed;
    }

    /** Lines not queued because the queue was full. */
    public long dropped() {
        return dropped.get();
    }
}
