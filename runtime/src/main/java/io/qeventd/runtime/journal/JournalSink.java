package io.qeventd.runtime.journal;

import java.util.Map;

/**
 * Receives journal records. Sinks are called on the journal's own dispatch thread, one record at a time and
 * in the order they were recorded, never on a monitor reader or a worker: a sink may take locks or write to
 * disk.
 */
@FunctionalInterface
public interface JournalSink {
    void record(JournalRecord record);

    /** Called when the dispatcher has delivered everything queued so far: a moment to flush buffers. */
    default void flush() {
    }

    /** The daemon stops: every record has been delivered; release what the sink holds. */
    default void close() {
    }

    /**
     * What {@code qeventd status} shows of a sink shipped beside the runtime (a forwarder): a few named
     * figures, numbers or short strings; empty for none. Called from any thread but a monitor reader.
     */
    default Map<String, Object> status() {
        return Map.of();
    }
}
