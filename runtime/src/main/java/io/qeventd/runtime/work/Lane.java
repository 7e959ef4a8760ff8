package io.qeventd.runtime.work;

import io.qeventd.api.ResyncReason;
import io.qeventd.runtime.dispatch.HandlerKey;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The queue of one domain (or the single global queue in global-FIFO mode): items run one at a time, in
 * arrival order. An explicit state machine:
 *
 * <pre>
 *   IDLE ──submit──▶ SCHEDULED ──queue empty──▶ IDLE
 *                     │    ▲
 *   head item's plugin held │    │ plugin released
 *                     ▼    │
 *                     HELD
 * </pre>
 *
 * <p>Fields marked "guarded" are read and written only under the lane's monitor, and every step taken under
 * it is constant time (an append, a swap of two deques, a map lookup): the reader, the workers, the admin
 * thread and the reload protocol never wait on each other for longer than that. The worker holding the
 * SCHEDULED token owns {@link #batch} outright.
 */
final class Lane {
    enum State { IDLE, SCHEDULED, HELD }

    /** A handler of one domain: what owed and pending resyncs are keyed by. */
    record ResyncKey(String domain, HandlerKey handler) {
    }

    /** A resync that could not be queued (the lane was full): queued as soon as there is room. */
    record Owed(WorkDomain domain, ResyncReason reason) {
    }

    /** A coalescible item's handler and raw data: identical data means an identical coalescing key. */
    record SameData(HandlerKey handler, String domain, Bytes data) {
    }

    record Bytes(byte[] b) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Bytes other && Arrays.equals(b, other.b);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(b);
        }
    }

    final String name;

    // guarded
    State state = State.IDLE;
    /** The plugin the lane waits for while HELD. */
    String heldOn;
    ArrayDeque<WorkItem> incoming = new ArrayDeque<>();
    /** Coalescible items in {@link #incoming} by identical data, to replace a repeat as it arrives. */
    Map<SameData, WorkItem> incomingByData;
    /** Items queued (incoming and batch) and not coalesced away: what counts against the limit. */
    int live;
    /** Resync items queued and not started, one per handler and domain at most. */
    final Map<ResyncKey, WorkItem> pendingResync = new HashMap<>();
    /** Resyncs owed to handlers that could not be queued yet. */
    final Map<ResyncKey, Owed> owed = new LinkedHashMap<>();
    /** The domain the lane serves now, and whether it was detached (the lane goes once it is empty). */
    WorkDomain owner;
    boolean detached;
    /** Removed from the queue's map: a submit that finds it so takes a fresh lane. */
    boolean removed;
    long overflows;

    // owned by the worker holding the SCHEDULED token
    ArrayDeque<WorkItem> batch = new ArrayDeque<>();
    /**
     * Handlers (of a domain) whose coalescible items in {@link #batch} have been keyed and marked already: the
     * batch takes no new items, so what survived the marking is the newest of its key and needs no second look.
     */
    final Set<ResyncKey> keyed = new HashSet<>();

    Lane(String name) {
        this.name = name;
    }

    /** Moves everything queued into the (empty) batch: a swap of two deques. Guarded. */
    void takeIncoming() {
        ArrayDeque<WorkItem> empty = batch;
        batch = incoming;
        incoming = empty;
        incomingByData = null;
        keyed.clear();
    }
}
