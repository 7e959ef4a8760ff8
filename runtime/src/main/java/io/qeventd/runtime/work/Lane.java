package io.qeventd.runtime.work;

import io.qeventd.api.ResyncReason;
import io.qeventd.runtime.dispatch.HandlerKey;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The queue of one domain (or the single global queue in global-FIFO mode): items run one at a
 * time, in arrival order. All fields are guarded by the lane's monitor.
 */
final class Lane {
    final String name;
    final ArrayDeque<WorkItem> items = new ArrayDeque<>();
    /** Queued items not coalesced away: what counts against the limit. */
    int live;
    /** A drain task is submitted or running. */
    boolean scheduled;
    /** The head item's plugin is held; the lane waits for its release. */
    boolean parked;
    /** Queued items by handler and coalescing key, to find the one a newer event replaces. */
    final Map<CoalesceKey, WorkItem> coalescing = new HashMap<>();
    /** Handlers owed a resync (after an overflow), with the domain they belong to. */
    final Map<HandlerKey, PendingResync> pendingResync = new LinkedHashMap<>();
    long overflows;

    record CoalesceKey(HandlerKey handler, String key) {
    }

    record PendingResync(WorkDomain domain, ResyncReason reason) {
    }

    Lane(String name) {
        this.name = name;
    }
}
