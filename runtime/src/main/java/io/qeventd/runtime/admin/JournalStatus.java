package io.qeventd.runtime.admin;

/**
 * The journal in {@code qeventd status}.
 *
 * @param file       the journal file, or null when the daemon keeps none
 * @param state      {@code ok}, {@code error} (the file cannot be written) or {@code none}
 * @param error      why the file cannot be written, or null
 * @param since      when that began (ISO-8601), or null
 * @param waiting    records held in memory until the file can be written
 * @param lost       records given up since start: the file failed too long, or the journal's queue was full
 * @param backlog    records queued for the journal's sinks now
 */
public record JournalStatus(String file, String state, String error, String since, long waiting, long lost,
                            long backlog) {
}
