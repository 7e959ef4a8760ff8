package io.qeventd.runtime.log;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The daemon's log appender: logback's {@link AsyncAppender} set never to block (a full stderr pipe or a slow
 * terminal must not stall a monitor reader or a worker), which counts the lines it had to drop when its queue
 * was full and says so in the log as soon as there is room again, so that no line is lost in silence.
 */
public class NonBlockingAppender extends AsyncAppender {
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong announced = new AtomicLong();

    public NonBlockingAppender() {
        setNeverBlock(true);
        // Keep every level until the queue is really full; then count what is dropped.
        setDiscardingThreshold(0);
    }

    @Override
    protected void append(ILoggingEvent event) {
        if (getRemainingCapacity() == 0) {
            dropped.incrementAndGet();
            return;
        }
        long d = dropped.get();
        long a = announced.get();
        if (d > a && announced.compareAndSet(a, d) && getRemainingCapacity() > 1) {
            super.append(DroppedLines.event((LoggerContext) getContext(), event, d - a, d));
        }
        super.append(event);
    }

    /** Lines dropped since start because the queue was full. */
    public long dropped() {
        return dropped.get();
    }
}
