package io.qeventd.runtime.work;

import io.qeventd.api.HostNetwork;
import io.qeventd.api.ResyncReason;
import io.qeventd.runtime.dispatch.HandlerKey;
import io.qeventd.runtime.dispatch.HandlerRegistry;
import io.qeventd.runtime.dispatch.TableEntry;
import io.qeventd.runtime.journal.Journal;
import io.qeventd.runtime.journal.Outcome;
import io.qeventd.runtime.monitor.ReaderRound;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker queue. Each domain has a {@link Lane}: its items run one at a time in QEMU's order, while
 * different domains' lanes run in parallel on a fixed pool, so a slow processor on one VM does not delay the
 * others.
 *
 * <p>What the monitor reader does here ({@link #submit}, {@link #resync}) is constant time and runs no plugin
 * code: it appends raw events to the lane. Decoding into the plugin's payload type and coalescing happen on
 * the worker that takes the lane's items, inside the plugin's gate (so never while its version is swapped).
 *
 * <p>Lanes are bounded by {@code queueLimit}, resync runs included. An event that does not fit is journaled
 * {@code overflow}, counted, logged (rate-limited), and its handler is owed a resync: at most one resync per
 * handler and domain is pending at a time (later ones merge into it), and it is queued at the gap, before
 * any later event of that handler. A lane goes away with its domain once it is empty.
 */
public final class WorkQueue implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WorkQueue.class);
    private static final int BATCH = 64;
    private static final String GLOBAL_LANE = "*";

    private final WorkOptions options;
    private final HandlerRegistry registry;
    private final ItemRunner runner;
    private final WorkerPool workers;
    private final ScheduledExecutorService watchdog;
    private final Map<String, Lane> lanes = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> queuedByPlugin = new ConcurrentHashMap<>();
    private final Map<WorkItem, Boolean> reportedSlow = new ConcurrentHashMap<>();
    private final AtomicLong queued = new AtomicLong();
    /** Items queued now over all lanes (the sum of their {@code live}): held to queueLimitTotal. */
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicLong overflowed = new AtomicLong();
    private final AtomicLong resyncsMerged = new AtomicLong();
    private final AtomicLong coalescedTotal = new AtomicLong();
    /** Plugins whose processor did not return after processTimeout and an interrupt: id to why. */
    private final Map<String, String> wedged = new ConcurrentHashMap<>();
    private final AtomicLong abandonedWorkers = new AtomicLong();
    private volatile boolean accepting = true;
    private volatile boolean running = true;

    public WorkQueue(WorkOptions options, HandlerRegistry registry, Journal journal, HostNetwork host) {
        this.options = options;
        this.registry = registry;
        this.runner = new ItemRunner(journal, host);
        int threads = options.globalFifo() ? 1 : options.workers();
        this.workers = new WorkerPool(threads, "qeventd-worker-");
        this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "qeventd-slow-watch");
            t.setDaemon(true);
            return t;
        });
        long shortest = Math.min(options.slowThreshold().toMillis(), options.processTimeout().toMillis());
        long period = Math.max(10, Math.min(1000, shortest / 4));
        watchdog.scheduleAtFixedRate(this::watch, period, period, TimeUnit.MILLISECONDS);
        registry.onRelease(this::released);
        registry.onRegister(this::replaced);
    }

    public WorkOptions options() {
        return options;
    }

    /** Queues an event item; never blocks and runs no plugin code. Overflow and coalescing are journaled. */
    public void submit(WorkItem item) {
        if (item.resync != null) {
            TableEntry entry = registry.table().find(item.key);
            if (entry != null) {
                resync(item.domain, entry, item.resync);
            }
            return;
        }
        if (!accepting) {
            runner.journal(item, null, Outcome.SKIPPED, null, null, "daemon is stopping");
            return;
        }
        WorkItem replaced = null;
        boolean overflow = false;
        boolean totalFull = false;
        boolean schedule = false;
        long overflows = 0;
        Lane lane;
        while (true) {
            lane = lane(item.domain);
            synchronized (lane) {
                if (lane.removed) {
                    continue;
                }
                adopt(lane, item.domain);
                queueOwed(lane);
                if (item.coalescible) {
                    replaced = replaceRepeat(lane, item);
                }
                if (lane.live >= options.queueLimit() || waiting.get() >= options.queueLimitTotal()) {
                    overflow = true;
                    totalFull = lane.live < options.queueLimit();
                    overflows = ++lane.overflows;
                    if (item.hasResync) {
                        owe(lane, item.domain, item.key, ResyncReason.OVERFLOW);
                    }
                } else {
                    append(lane, item);
                    if (item.coalescible) {
                        if (lane.incomingByData == null) {
                            lane.incomingByData = new HashMap<>();
                        }
                        lane.incomingByData.put(sameData(item), item);
                    }
                    schedule = markScheduled(lane);
                }
            }
            break;
        }
        if (replaced != null) {
            runner.journal(replaced, null, Outcome.COALESCED, null, null, null);
        }
        if (overflow) {
            overflowed.incrementAndGet();
            String full = totalFull
                    ? "the queues of all domains together are full (queueLimitTotal " + options.queueLimitTotal() + ")"
                    : "queue of domain '" + item.domain.name() + "' is full (" + options.queueLimit() + ")";
            if (overflows == 1 || overflows % 1000 == 0) {
                log.warn("domain '{}': {}; {} event(s) not queued so far, handlers will resync", item.domain.name(),
                        full, overflows);
            }
            runner.journal(item, null, Outcome.OVERFLOW, null, null, full);
        }
        if (schedule) {
            Lane scheduled = lane;
            ReaderRound.atEnd(() -> schedule(scheduled));
        }
    }

    /**
     * Queues a resync of each handler with a hook, in the domain's order; never blocks. A resync already
     * pending for a handler absorbs the new one; one that does not fit is owed and queued at the first room.
     */
    public void resync(WorkDomain domain, List<TableEntry> entries, ResyncReason reason) {
        for (TableEntry e : entries) {
            if (e.handler().resync() != null) {
                resync(domain, e, reason);
            }
        }
    }

    private void resync(WorkDomain domain, TableEntry entry, ResyncReason reason) {
        if (!accepting) {
            return;
        }
        boolean schedule = false;
        Lane lane;
        while (true) {
            lane = lane(domain);
            synchronized (lane) {
                if (lane.removed) {
                    continue;
                }
                adopt(lane, domain);
                queueOwed(lane);
                Lane.ResyncKey rk = new Lane.ResyncKey(domain.name(), entry.key());
                if (lane.pendingResync.containsKey(rk) || lane.owed.containsKey(rk)) {
                    resyncsMerged.incrementAndGet();
                } else if (lane.live < options.queueLimit()) {
                    WorkItem r = WorkItem.resync(domain, entry, reason);
                    append(lane, r);
                    lane.pendingResync.put(rk, r);
                    schedule = markScheduled(lane);
                } else {
                    lane.owed.put(rk, new Lane.Owed(domain, reason));
                }
            }
            break;
        }
        if (schedule) {
            schedule(lane);
        }
    }

    /** A domain was detached: its lane goes away once its queued items have run. */
    public void forget(WorkDomain domain) {
        if (options.globalFifo()) {
            return;
        }
        Lane lane = lanes.get(domain.name());
        if (lane == null) {
            return;
        }
        synchronized (lane) {
            if (lane.owner != domain) {
                return;
            }
            lane.detached = true;
            lane.owed.clear();
            if (lane.state == Lane.State.IDLE && lane.live == 0) {
                remove(lane);
            }
        }
    }

    /** Queued items of a domain, not counting those coalesced away. */
    public int depth(String domain) {
        Lane lane = lanes.get(options.globalFifo() ? GLOBAL_LANE : domain);
        if (lane == null) {
            return 0;
        }
        synchronized (lane) {
            return lane.live;
        }
    }

    /** Items of one plugin's handlers queued now, over all domains; constant time. */
    public int queuedFor(String pluginId) {
        AtomicInteger n = queuedByPlugin.get(pluginId);
        return n == null ? 0 : n.get();
    }

    /** Lanes that exist now (one per domain with queued or running items, or recently active). */
    public int laneCount() {
        return lanes.size();
    }

    /** Items queued since start. */
    public long queuedTotal() {
        return queued.get();
    }

    /** Events that found their lane full, since start. */
    public long overflowTotal() {
        return overflowed.get();
    }

    /** Resync requests absorbed by one already pending, since start. */
    public long resyncsMerged() {
        return resyncsMerged.get();
    }

    /** Resyncs pending or owed for a domain now (at most one per handler). */
    public int pendingResyncs(String domain) {
        Lane lane = lanes.get(options.globalFifo() ? GLOBAL_LANE : domain);
        if (lane == null) {
            return 0;
        }
        synchronized (lane) {
            int n = 0;
            for (Lane.ResyncKey k : lane.pendingResync.keySet()) {
                n += k.domain().equals(domain) ? 1 : 0;
            }
            for (Lane.ResyncKey k : lane.owed.keySet()) {
                n += k.domain().equals(domain) ? 1 : 0;
            }
            return n;
        }
    }

    // ---- under the lane's monitor ----

    private Lane lane(WorkDomain domain) {
        String name = options.globalFifo() ? GLOBAL_LANE : domain.name();
        return lanes.computeIfAbsent(name, Lane::new);
    }

    private void adopt(Lane lane, WorkDomain domain) {
        if (!options.globalFifo() && lane.owner != domain) {
            lane.owner = domain;
            lane.detached = false;
        }
    }

    private void append(Lane lane, WorkItem item) {
        lane.incoming.add(item);
        lane.live++;
        waiting.incrementAndGet();
        queued.incrementAndGet();
        counter(item.key.pluginId()).incrementAndGet();
    }

    private boolean markScheduled(Lane lane) {
        if (lane.state == Lane.State.IDLE) {
            lane.state = Lane.State.SCHEDULED;
            return true;
        }
        return false;
    }

    private static Lane.SameData sameData(WorkItem item) {
        byte[] data = item.data == null ? new byte[0] : item.data;
        return new Lane.SameData(item.key, item.domain.name(), new Lane.Bytes(data));
    }

    /** A queued, not yet taken repeat of the same handler with identical data is replaced by the newer one. */
    private WorkItem replaceRepeat(Lane lane, WorkItem item) {
        if (lane.incomingByData == null) {
            return null;
        }
        WorkItem prev = lane.incomingByData.remove(sameData(item));
        if (prev == null || prev.coalesced) {
            return null;
        }
        coalesce(lane, prev);
        return prev;
    }

    private void coalesce(Lane lane, WorkItem item) {
        item.coalesced = true;
        lane.live--;
        waiting.decrementAndGet();
        coalescedTotal.incrementAndGet();
        counter(item.key.pluginId()).decrementAndGet();
    }

    private void owe(Lane lane, WorkDomain domain, HandlerKey key, ResyncReason reason) {
        Lane.ResyncKey rk = new Lane.ResyncKey(domain.name(), key);
        if (lane.pendingResync.containsKey(rk)) {
            resyncsMerged.incrementAndGet(); // the pending one runs after this gap: it covers it
        } else {
            lane.owed.putIfAbsent(rk, new Lane.Owed(domain, reason));
        }
    }

    /** Queues owed resyncs while there is room, so they run before any later event of their handlers. */
    private void queueOwed(Lane lane) {
        if (lane.owed.isEmpty()) {
            return;
        }
        Iterator<Map.Entry<Lane.ResyncKey, Lane.Owed>> it = lane.owed.entrySet().iterator();
        while (it.hasNext() && lane.live < options.queueLimit()) {
            var e = it.next();
            it.remove();
            TableEntry entry = registry.table().find(e.getKey().handler());
            if (entry == null || entry.handler().resync() == null) {
                continue;
            }
            WorkItem r = WorkItem.resync(e.getValue().domain(), entry, e.getValue().reason());
            append(lane, r);
            lane.pendingResync.put(e.getKey(), r);
        }
    }

    private void remove(Lane lane) {
        lane.removed = true;
        lanes.remove(lane.name, lane);
    }

    private AtomicInteger counter(String pluginId) {
        return queuedByPlugin.computeIfAbsent(pluginId, id -> new AtomicInteger());
    }

    // ---- workers ----

    private void schedule(Lane lane) {
        try {
            workers.execute(() -> drain(lane));
        } catch (RejectedExecutionException e) {
            // Stopping: what is still queued is journaled as left behind.
            synchronized (lane) {
                lane.state = Lane.State.IDLE;
            }
        }
    }

    /** Runs up to a batch of the lane's items, then lets other lanes have the worker. */
    private void drain(Lane lane) {
        try {
            for (int done = 0; done < BATCH; done++) {
                WorkItem item = next(lane);
                if (item == null) {
                    return;
                }
                String plugin = item.key.pluginId();
                if (!registry.tryEnter(plugin)) {
                    if (park(lane, plugin)) {
                        return;
                    }
                    done--;
                    continue;
                }
                lane.batch.poll();
                taken(lane, item);
                boolean owned = true;
                try {
                    owned = runItem(lane, item);
                } finally {
                    if (owned) {
                        registry.exit(plugin);
                    }
                    reportedSlow.remove(item);
                }
                if (!owned) {
                    // The watchdog gave up on this processor while it ran, and gave the lane to another worker.
                    returnedFromWedge();
                    return;
                }
            }
        } catch (Throwable t) {
            // runItem contains everything a plugin throws; this is the queue's own trouble. Never leave the lane
            // SCHEDULED with no worker on it: go on below.
            log.error("lane '{}': unexpected failure, going on", lane.name, t);
        }
        if (running) {
            schedule(lane);
        } else {
            synchronized (lane) {
                lane.state = Lane.State.IDLE;
            }
        }
    }

    /**
     * The lane's next item, left at the head of its batch; null when the lane is empty (it is IDLE then, and
     * gone if its domain was detached). Coalesced items are passed over on the way.
     */
    private WorkItem next(Lane lane) {
        while (true) {
            WorkItem head = lane.batch.peek();
            if (head == null) {
                synchronized (lane) {
                    if (!running) {
                        lane.state = Lane.State.IDLE;
                        return null;
                    }
                    queueOwed(lane);
                    lane.takeIncoming();
                    if (lane.batch.isEmpty()) {
                        lane.state = Lane.State.IDLE;
                        if (lane.detached && lane.live == 0) {
                            remove(lane);
                        }
                        return null;
                    }
                }
                continue;
            }
            boolean skip;
            synchronized (lane) {
                skip = head.coalesced;
            }
            if (!skip) {
                return head;
            }
            lane.batch.poll();
        }
    }

    /**
     * The head item's plugin is held (a reload is under way): the lane waits, in order, until it is released.
     *
     * @return true when this worker should leave the lane; false when the hold ended meanwhile
     */
    private boolean park(Lane lane, String plugin) {
        synchronized (lane) {
            lane.state = Lane.State.HELD;
            lane.heldOn = plugin;
        }
        if (registry.isHeld(plugin)) {
            return true;
        }
        // Released between our failed entry and the park: take the lane back unless the release did.
        synchronized (lane) {
            if (lane.state == Lane.State.HELD) {
                lane.state = Lane.State.SCHEDULED;
                lane.heldOn = null;
                return false;
            }
            return true;
        }
    }

    private void released(String plugin) {
        for (Lane lane : lanes.values()) {
            boolean schedule = false;
            synchronized (lane) {
                if (lane.state == Lane.State.HELD && plugin.equals(lane.heldOn)) {
                    lane.state = Lane.State.SCHEDULED;
                    lane.heldOn = null;
                    schedule = true;
                }
            }
            if (schedule && running) {
                schedule(lane);
            }
        }
    }

    /** The item leaves the queue for a worker: it no longer counts against the limit. */
    private void taken(Lane lane, WorkItem item) {
        synchronized (lane) {
            lane.live--;
        }
        waiting.decrementAndGet();
        counter(item.key.pluginId()).decrementAndGet();
    }

    /**
     * Decodes (with the version current now), coalesces, then runs: whatever is thrown becomes a record.
     *
     * @return false when the processor was given up on while it ran (see {@link #watch})
     */
    private boolean runItem(Lane lane, WorkItem item) {
        if (item.resync != null) {
            synchronized (lane) {
                lane.pendingResync.remove(new Lane.ResyncKey(item.domain.name(), item.key), item);
            }
        }
        TableEntry entry = registry.table().find(item.key);
        if (entry == null) {
            runner.journal(item, null, Outcome.UNHANDLED, null, null,
                    "plugin '" + item.key.pluginId() + "' no longer handles " + item.key.event());
            return true;
        }
        String wedge = wedged.get(entry.pluginId());
        if (wedge != null) {
            runner.journal(item, entry, Outcome.FAILED, null, null, "plugin '" + entry.pluginId() + "' is wedged ("
                    + wedge + "); its handlers are disabled until the plugin is replaced");
            return true;
        }
        if (item.resync == null) {
            try {
                decode(item, entry);
            } catch (Throwable t) {
                runner.journal(item, entry, Outcome.FAILED, null, null,
                        "cannot decode data as " + entry.handler().payloadType().getSimpleName() + ": "
                                + ItemRunner.describe(t));
                return true;
            }
            if (item.coalescible && coalescedByLater(lane, entry, item)) {
                runner.journal(item, entry, Outcome.COALESCED, null, null, null);
                return true;
            }
        }
        item.lane = lane;
        return runner.run(item, entry, item.payload, options.processTimeout());
    }

    private static void decode(WorkItem item, TableEntry entry) throws Exception {
        if (item.decodedWith != entry) {
            item.payload = entry.decode(item.data);
            item.coalesceKey = item.coalescible ? entry.coalesceKey(item.payload) : null;
            item.decodedWith = entry;
        }
    }

    /**
     * Coalescing, decided when the lane is drained: among the items of {@code item}'s handler taken in this
     * batch, only the newest of each coalescing key runs. Keys are computed here, on the worker, inside the
     * plugin's gate. True when {@code item} itself is replaced by a newer one.
     */
    private boolean coalescedByLater(Lane lane, TableEntry entry, WorkItem item) {
        if (item.coalesceKey == null) {
            return false;
        }
        // Keyed once per batch and handler: a flood of one NIC's events costs one pass, not one per event.
        if (!lane.keyed.add(new Lane.ResyncKey(item.domain.name(), item.key))) {
            return false;
        }
        boolean replaced = false;
        Map<String, WorkItem> newest = new HashMap<>();
        List<WorkItem> same = new ArrayList<>();
        for (WorkItem other : lane.batch) {
            if (other.key.equals(item.key) && other.resync == null && !other.coalesced) {
                try {
                    decode(other, entry);
                } catch (Throwable t) {
                    continue; // it fails with its own record when its turn comes
                }
                if (other.coalesceKey != null && other.domain == item.domain) {
                    same.add(other);
                    newest.put(other.coalesceKey, other);
                }
            }
        }
        if (newest.containsKey(item.coalesceKey)) {
            replaced = true;
        }
        // Items in the batch are this worker's alone: mark them without the lock, then settle the count in one step.
        List<WorkItem> gone = new ArrayList<>();
        for (WorkItem other : same) {
            if (newest.get(other.coalesceKey) != other) {
                other.coalesced = true;
                gone.add(other);
            }
        }
        if (!gone.isEmpty()) {
            synchronized (lane) {
                lane.live -= gone.size();
            }
            waiting.addAndGet(-gone.size());
            coalescedTotal.addAndGet(gone.size());
            counter(item.key.pluginId()).addAndGet(-gone.size());
        }
        for (WorkItem g : gone) {
            runner.journal(g, entry, Outcome.COALESCED, null, null, null);
        }
        return replaced;
    }

    /**
     * The watchdog: reports processors running past slowThreshold ({@code slow}); interrupts those past
     * processTimeout; and gives up on one that still has not returned a grace period later. Giving up wedges its
     * plugin: the item is journaled failed, the plugin's handlers are disabled (until it is replaced), the domain's
     * job and the plugin's gate are released on the stuck thread's behalf, and the lane goes on on a new worker
     * (the pool grows by one until the stuck thread returns, if it ever does).
     */
    private void watch() {
        long now = System.nanoTime();
        long slow = options.slowThreshold().toNanos();
        long timeout = options.processTimeout().toNanos();
        long grace = Math.min(timeout, TimeUnit.SECONDS.toNanos(10));
        for (var e : runner.running().entrySet()) {
            WorkItem item = e.getKey();
            ItemRunner.Running r = e.getValue();
            long took = now - r.startNanos();
            if (took > slow && reportedSlow.putIfAbsent(item, Boolean.TRUE) == null) {
                log.warn("domain '{}': plugin {} has been processing {} for {} ms (worker {})", item.domain.name(),
                        r.entry().pluginId(), item.event, took / 1_000_000, r.worker().getName());
                runner.record(item.outcome(r.entry().pluginId(), r.entry().pluginVersion(), Outcome.SLOW,
                        (r.startNanos() - item.receivedNanos) / 1000, took / 1000,
                        "still running after " + took / 1_000_000 + " ms", List.of()));
            }
            if (took > timeout && !r.interrupted) {
                r.interrupted = true;
                log.warn("domain '{}': plugin {} still processing {} after processTimeout ({} ms): interrupting it",
                        item.domain.name(), r.entry().pluginId(), item.event, options.processTimeout().toMillis());
                r.worker().interrupt();
            } else if (r.interrupted && took > timeout + grace && runner.running().remove(item, r)) {
                wedge(item, r, took);
            }
        }
    }

    private void wedge(WorkItem item, ItemRunner.Running r, long tookNanos) {
        String plugin = r.entry().pluginId();
        String why = "a processor on " + item.event + " of domain '" + item.domain.name() + "' did not return within "
                + options.processTimeout().toMillis() + " ms nor after an interrupt";
        wedged.put(plugin, why);
        log.error("plugin {} is wedged: {}; its handlers are disabled until the plugin is replaced (worker {} left"
                + " behind)", plugin, why, r.worker().getName());
        runner.record(item.outcome(plugin, r.entry().pluginVersion(), Outcome.FAILED,
                (r.startNanos() - item.receivedNanos) / 1000, tookNanos / 1000, "plugin '" + plugin + "' is wedged: "
                        + why + "; its handlers are disabled until the plugin is replaced", List.of()));
        r.domain.job().release(r.jobToken);
        registry.exit(plugin);
        reportedSlow.remove(item);
        abandonedWorkers.incrementAndGet();
        workers.add();
        if (running && item.lane != null) {
            schedule(item.lane);
        }
    }

    /** A processor given up on returned after all: its worker goes back to the pool, which shrinks again. */
    private void returnedFromWedge() {
        abandonedWorkers.decrementAndGet();
        workers.retireCurrentThread();
    }

    /** A plugin registered again (a new version): if it was wedged, its handlers run again. */
    private void replaced(String pluginId) {
        if (wedged.remove(pluginId) != null) {
            log.info("plugin {} replaced: its handlers run again", pluginId);
        }
    }

    /** Wedged plugins now, with why. */
    public Map<String, String> wedged() {
        return Map.copyOf(wedged);
    }

    /** Workers left behind in processors that never returned. */
    public long abandonedWorkers() {
        return abandonedWorkers.get();
    }

    /**
     * Stops taking new items and waits until every queued item has run, or the deadline passes.
     *
     * @return true when everything drained in time
     */
    public boolean drainAndStop(Duration deadline) throws InterruptedException {
        accepting = false;
        long end = System.nanoTime() + deadline.toNanos();
        while (System.nanoTime() < end) {
            if (idle()) {
                break;
            }
            Thread.sleep(5); // polling a handful of lanes at shutdown; no event to wait on
        }
        boolean drained = idle();
        // Claimed before the workers are interrupted: a processor that the interrupt ends would otherwise write
        // its own record (failed) first, and the one it was running at the deadline would not say so.
        journalLeftBehind();
        close();
        return drained;
    }

    /**
     * Items still queued when the workers stopped, and processors still running then: never silently dropped,
     * journaled as skipped (a processor that returns later writes no second record).
     */
    private void journalLeftBehind() {
        for (var e : runner.running().entrySet()) {
            WorkItem item = e.getKey();
            ItemRunner.Running r = e.getValue();
            if (runner.running().remove(item, r)) {
                long took = (System.nanoTime() - r.startNanos()) / 1000;
                runner.record(item.outcome(r.entry().pluginId(), r.entry().pluginVersion(), Outcome.SKIPPED,
                        (r.startNanos() - item.receivedNanos) / 1000, took,
                        "daemon stopped while the processor still ran (stop deadline passed)", List.of()));
            }
        }
        for (Lane lane : lanes.values()) {
            List<WorkItem> left = new ArrayList<>();
            synchronized (lane) {
                for (WorkItem i : lane.batch) {
                    if (!i.coalesced) {
                        left.add(i);
                    }
                }
                for (WorkItem i : lane.incoming) {
                    if (!i.coalesced) {
                        left.add(i);
                    }
                }
                lane.batch.clear();
                lane.incoming.clear();
                waiting.addAndGet(-lane.live);
                lane.live = 0;
            }
            for (WorkItem item : left) {
                runner.journal(item, null, Outcome.SKIPPED, null, null,
                        "daemon stopped before it ran (stop deadline passed)");
            }
        }
    }

    private boolean idle() {
        if (!runner.running().isEmpty()) {
            return false;
        }
        for (Lane lane : lanes.values()) {
            synchronized (lane) {
                if (lane.live > 0 || lane.state != Lane.State.IDLE) {
                    return false;
                }
            }
        }
        return true;
    }

    @Override
    public void close() {
        accepting = false;
        running = false;
        watchdog.shutdownNow();
        workers.shutdownNow();
    }
}
