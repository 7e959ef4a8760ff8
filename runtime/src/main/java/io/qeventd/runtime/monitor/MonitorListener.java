package io.qeventd.runtime.monitor;

import io.qeventd.runtime.qmp.QmpMessage;
import java.time.Instant;

/**
 * What a monitor's owner hears. Every call comes on a reader thread, which serves many monitors: an
 * implementation hands the work on and returns at once; it must never block.
 */
public interface MonitorListener {
    /** Negotiation finished; commands may be sent. {@code reconnected} after a lost connection. */
    default void connected(MonitorConnection monitor, QmpMessage.Greeting greeting, boolean reconnected) {
    }

    /**
     * An event arrived.
     *
     * @param receivedNanos {@link System#nanoTime()} when it was read, for latency figures
     * @param received      wall-clock time when it was read
     */
    void event(MonitorConnection monitor, QmpMessage.Event event, long receivedNanos, Instant received);

    /** A connection that had been negotiated was lost; told once per connection. */
    default void disconnected(MonitorConnection monitor, Throwable cause) {
    }
}
