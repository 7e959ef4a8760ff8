package io.qeventd.runtime.journal;

import java.util.Locale;

/** What became of one event for one handler; the journal's {@code outcome} field. */
public enum Outcome {
    /** The processor ran and returned. */
    PROCESSED,
    /** The domain was no longer active when its turn came, or went away while it ran. */
    SKIPPED,
    /** A newer event with the same coalescing key replaced it while it was still queued. */
    COALESCED,
    /** The decoder or the processor threw; {@code error} says what. */
    FAILED,
    /** The domain's queue was full; the event was not queued and the handler is told to resynchronise. */
    OVERFLOW,
    /** The processor has run past the slow threshold; reported while it still runs. */
    SLOW,
    /** No handler is registered for the event. */
    UNHANDLED,
    /**
     * A summary: records that could not be queued for the journal's sinks (its bounded queue was full) and
     * were therefore not written; {@code error} says how many. Their outcomes still count in status.
     */
    LOST;

    private final String journalName = name().toLowerCase(Locale.ROOT);

    /** The journal's spelling: lower case. */
    public String journalName() {
        return journalName;
    }
}
