package io.qeventd.runtime.work;

import io.qeventd.api.QemuTimestamp;
import io.qeventd.api.ResyncReason;
import io.qeventd.runtime.dispatch.HandlerKey;
import io.qeventd.runtime.dispatch.TableEntry;
import java.time.Instant;

/**
 * A process event: one QMP event for one handler, or one resync run of a handler, queued for a worker.
 * It is bound to a {@link HandlerKey}; the handler's current version is looked up when it runs.
 */
public final class WorkItem {
    final WorkDomain domain;
    final HandlerKey key;
    final TableEntry decodedWith;
    final Object payload;
    final byte[] data;
    final String event;
    final QemuTimestamp timestamp;
    final long receivedNanos;
    final Instant received;
    final ResyncReason resync;
    final String coalesceKey;
    volatile boolean coalesced;

    private WorkItem(WorkDomain domain, HandlerKey key, TableEntry decodedWith, Object payload, byte[] data,
                     String event, QemuTimestamp timestamp, long receivedNanos, Instant received, ResyncReason resync,
                     String coalesceKey) {
        this.domain = domain;
        this.key = key;
        this.decodedWith = decodedWith;
        this.payload = payload;
        this.data = data;
        this.event = event;
        this.timestamp = timestamp;
        this.receivedNanos = receivedNanos;
        this.received = received;
        this.resync = resync;
        this.coalesceKey = coalesceKey;
    }

    /** An event for a handler, its payload decoded by {@code entry} (the version current on arrival). */
    public static WorkItem event(WorkDomain domain, TableEntry entry, Object payload, String coalesceKey,
                                 byte[] data, String event, QemuTimestamp timestamp, long receivedNanos,
                                 Instant received) {
        return new WorkItem(domain, entry.key(), entry, payload, data, event, timestamp, receivedNanos, received,
                null, coalesceKey);
    }

    /** A resync run of a handler. */
    public static WorkItem resync(WorkDomain domain, TableEntry entry, ResyncReason reason) {
        return new WorkItem(domain, entry.key(), entry, null, null, "resync/" + reason.name(),
                QemuTimestamp.UNKNOWN, System.nanoTime(), Instant.now(), reason, null);
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
}
