package io.qeventd.runtime.log;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Limits one kind of repeated warning (a monitor's malformed lines, unknown reply ids) to a few lines per
 * interval; the first line after a quiet spell says how many were suppressed. Lock-free, so a monitor reader
 * can ask it.
 */
public final class RateLimitedWarnings {
    private final int perInterval;
    private final long intervalNanos;
    private final AtomicLong windowStart = new AtomicLong(System.nanoTime());
    private final AtomicLong inWindow = new AtomicLong();
    private final AtomicLong suppressed = new AtomicLong();

    public RateLimitedWarnings(int perInterval, long interval, TimeUnit unit) {
        this.perInterval = perInterval;
        this.intervalNanos = unit.toNanos(interval);
    }

    /** Five lines a minute. */
    public static RateLimitedWarnings standard() {
        return new RateLimitedWarnings(5, 60, TimeUnit.SECONDS);
    }

    /**
     * Whether this occurrence may be logged; {@code -1} when it may not (it is counted as suppressed),
     * otherwise how many were suppressed since the last one logged (to mention in the line).
     */
    public long admit() {
        long now = System.nanoTime();
        long start = windowStart.get();
        if (now - start >= intervalNanos && windowStart.compareAndSet(start, now)) {
            inWindow.set(0);
        }
        if (inWindow.incrementAndGet() > perInterval) {
            suppressed.incrementAndGet();
            return -1;
        }
        return suppressed.getAndSet(0);
    }

    /** " (N similar line(s) suppressed)" when N > 0, else "". */
    public static String suffix(long suppressed) {
        return suppressed > 0 ? " (" + suppressed + " similar line(s) suppressed before this one)" : "";
    }
}
