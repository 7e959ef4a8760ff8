package io.qeventd.runtime.work;

import io.qeventd.api.QemuTimestamp;
import io.qeventd.api.ResyncReason;
import io.qeventd.runtime.dispatch.HandlerKey;
import io.qeventd.runtime.dispatch.TableEntry;
import io.qeventd.runtime.journal.JournalRecord;
import io.qeventd.runtime.journal.Outcome;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * A process event: one QMP event for one handler, or one resync run of a handler, queued for a worker.
 * It is bound to a {@link HandlerKey}; the handler's current version is looked up when it runs.
 *
 * <p>The reader creates it from what the wire gave (the event's raw {@code data} bytes): no plugin code runs
 * to make one. Decoding into the plugin's payload type, and the coalescing key, are worked out by the worker
 * that runs it ({@link #payload}, {@link #coalesceKey}, cached here by that worker).
 */
public final class WorkItem {
    final WorkDomain domain;
    final HandlerKey key;
    /** The plugin version current on arrival: names it in records made before the item runs. */
    final String versionOnArrival;
    /** The handler coalesces repeats: read from the api's Handler, no plugin code involved. */
    final boolean coalescible;
    /** The handler has a resync hook. */
    final boolean hasResync;
    final byte[] data;
    final String event;
    final QemuTimestamp timestamp;
    final long receivedNanos;
    final Instant received;
    final ResyncReason resync;
    final long connection;
    final long seq;

    /** Worker-owned: the entry that decoded {@link #payload}, the payload and its coalescing key. */
    TableEntry decodedWith;
    Object payload;
    String coalesceKey;
    /** The lane a worker took it from (worker-owned; read by the watchdog that may give up on it). */
    volatile Lane lane;
    /** A newer item of the same handler and key replaced it; guarded by its lane. */
    boolean coalesced;

    private WorkItem(WorkDomain domain, TableEntry entry, byte[] data, String event, QemuTimestamp timestamp,
                     long receivedNanos, Instant received, ResyncReason resync, long connection, long seq) {
        this.domain = domain;
        this.key = entry.key();
        this.versionOnArrival = entry.pluginVersion();
        this.coalescible = resync == null && entry.handler().coalesceKey() != null;
        this.hasResync = entry.handler().resync() != null;
        this.data = data;
        this.event = event;
        this.timestamp = timestamp;
        this.receivedNanos = receivedNanos;
        this.received = received;
        this.resync = resync;
        this.connection = connection;
        this.seq = seq;
    }

    /**
     * An event for a handler, with its {@code data} as QEMU sent it (null when it had none), and where it came:
     * the monitor's connection and the event's number on it.
     */
    public static WorkItem event(WorkDomain domain, TableEntry entry, byte[] data, String event,
                                 QemuTimestamp timestamp, long receivedNanos, Instant received, long connection,
                                 long seq) {
        return new WorkItem(domain, entry, data, event, timestamp, receivedNanos, received, null, connection, seq);
    }

    /** A resync run of a handler. */
    public static WorkItem resync(WorkDomain domain, TableEntry entry, ResyncReason reason) {
        return new WorkItem(domain, entry, null, "resync/" + reason.name(), QemuTimestamp.UNKNOWN, System.nanoTime(),
                Instant.now(), reason, domain.connection(), domain.lastSeq());
    }

    /** This item's journal record: its outcome for {@code plugin} at {@code version}. */
    JournalRecord outcome(String plugin, String version, Outcome outcome, Long latencyMicros, Long processingMicros,
                          String error, List<String> actions) {
        return new JournalRecord(Instant.now(), domain.name(), event, timestamp, plugin, version, key.type(), outcome,
                latencyMicros, processingMicros, error, actions, connection, seq, data);
    }

    public WorkDomain domain() {
        return domain;
    }

    public HandlerKey key() {
        return key;
    }

    public String event() {
        return event;
    }

    public boolean isResync() {
        return resync != null;
    }

    /** Same handler and byte-identical data: decodes to the same payload, so to the same coalescing key. */
    boolean sameDataAs(WorkItem other) {
        return key.equals(other.key) && Arrays.equals(data, other.data);
    }

    @Override
    public String toString() {
        return domain.name() + ":" + event + "->" + key;
    }
}
