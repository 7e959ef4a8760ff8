package io.qeventd.runtime.journal;

import io.qeventd.api.QemuTimestamp;
import java.time.Instant;
import java.util.List;

/**
 * One line of the journal: one outcome of one event for one handler.
 *
 * @param time             when the outcome was decided
 * @param domain           the domain's name
 * @param event            the QMP event name; {@code resync/REASON} for a resync run
 * @param qemuTime         QEMU's timestamp of the event (unknown for resync runs)
 * @param plugin           the handler's plugin id, null when unhandled
 * @param pluginVersion    that plugin's version
 * @param type             the handler's event-type constant
 * @param outcome          what happened
 * @param latencyMicros    receipt to processor start, null when the processor did not start
 * @param processingMicros how long the processor ran, null when it did not run
 * @param error            the error message, or null
 * @param actions          what the processor reported it changed or decided, in order
 * @param connection       which connection of the domain's monitor the event came on: the wall-clock
 *                         milliseconds of its negotiation, made strictly larger than the previous connection's;
 *                         0 for records of no connection (journal summaries)
 * @param seq              the event's number on that connection, from 1; a resync carries the number of the
 *                         last event before it; 0 before any event
 * @param data             the event's {@code data} as QEMU sent it (UTF-8 JSON), or null; not to be modified
 */
public record JournalRecord(Instant time, String domain, String event, QemuTimestamp qemuTime, String plugin,
                            String pluginVersion, String type, Outcome outcome, Long latencyMicros,
                            Long processingMicros, String error, List<String> actions, long connection, long seq,
                            byte[] data) {
    public JournalRecord {
        actions = actions == null ? List.of() : List.copyOf(actions);
    }

    /** A record of no connection and no event data. */
    public JournalRecord(Instant time, String domain, String event, QemuTimestamp qemuTime, String plugin,
                         String pluginVersion, String type, Outcome outcome, Long latencyMicros,
                         Long processingMicros, String error, List<String> actions) {
        this(time, domain, event, qemuTime, plugin, pluginVersion, type, outcome, latencyMicros, processingMicros,
                error, actions, 0, 0, null);
    }

    /** A record without actions. */
    public JournalRecord(Instant time, String domain, String event, QemuTimestamp qemuTime, String plugin,
                         String pluginVersion, String type, Outcome outcome, Long latencyMicros,
                         Long processingMicros, String error) {
        this(time, domain, event, qemuTime, plugin, pluginVersion, type, outcome, latencyMicros, processingMicros,
                error, List.of());
    }
}
