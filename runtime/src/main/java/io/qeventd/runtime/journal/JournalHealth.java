package io.qeventd.runtime.journal;

import java.time.Instant;

/**
 * The journal file's state, for status and metrics.
 *
 * @param file     the journal file
 * @param ok       records reach the file
 * @param error    why they do not (the last write error), or null
 * @param since    when the error began, or null
 * @param waiting  records held in memory until the file can be written again
 * @param lost     records given up since start (the memory bound was reached while the file could not be
 *                 written); each loss is also written to the file as a summary once it works again
 * @param written  records written since start
 * @param outcomesWritten records written since start that are outcomes of events (not the journal's own
 *                 {@code lost} summaries)
 */
public record JournalHealth(String file, boolean ok, String error, Instant since, long waiting, long lost,
                            long written, long outcomesWritten) {
}
