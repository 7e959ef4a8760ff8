package io.qeventd.runtime.journal;

import java.util.Locale;

/** When the journal file is forced to the disk ({@code journalSync}); its cost is in docs/BENCHMARKS.md. */
public enum JournalSync {
    /** Written to the operating system as the journal catches up; the kernel decides when it reaches the disk. */
    NEVER,
    /** As NEVER, and forced to the disk at most once a second: a power cut loses up to a second. */
    INTERVAL,
    /** Forced to the disk each time the journal catches up, before any later record is written. */
    ALWAYS;

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
