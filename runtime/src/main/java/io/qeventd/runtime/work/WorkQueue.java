package io.qeventd.runtime.work;

import io.qeventd.api.HostNetwork;
import io.qeventd.api.ResyncReason;
import io.qeventd.runtime.dispatch.HandlerRegistry;
import io.qeventd.runtime.dispatch.TableEntry;
import io.qeventd.runtime.journal.Journal;
import io.qeventd.runtime.journal.JournalRecord;
import io.qeventd.runtime.journal.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker queue. Each domain has a lane: its items run one at a time in QEMU's order, while
 * different domains' lanes run in parallel on a fixed pool, so a slow processor on one VM does not
 * delay the others. Lanes are bounded: an item that does not fit is journaled as overflow and its
 * handler is owed a resync. {@link #submit} never blocks, so the monitor reader can call it.
 */
public final class WorkQueue implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WorkQueue.class);
    private static final int BATCH = 64;
    private static final String GLOBAL_LANE = "*";

    private final WorkOptions options;
    private final HandlerRegistry registry;
    private final Journal journal;
    private final ItemRunner runner;
    private final ExecutorService workers;
    private final ScheduledExecutorService watchdog;
    private final Map<String, Lane> lanes = new ConcurrentHashMap<>();
    private final Map<WorkItem, Boolean> reportedSlow = new ConcurrentHashMap<>();
    private final AtomicLong queued = new AtomicLong();
    private volatile boolean accepting = true;
    private volatile boolean running = true;

    public WorkQueue(WorkOptions options, HandlerRegistry registry, Journal journal, HostNetwork host) {
        this.options = options;
        this.registry = registry;
        this.journal = journal;
        this.runner = new ItemRunner(journal, host);
        int threads = options.globalFifo() ? 1 : options.workers();
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "qeventd-worker-" + n.getAndIncrement());
            t.setDaemon(true);
            return t;
        });
        this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "qeventd-slow-watch");
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(10, Math.min(1000, options.slowThreshold().toMillis() / 4));
        watchdog.scheduleAtFixedRate(this::reportSlow, period, period, TimeUnit.MILLISECONDS);
        registry.onRelease(id -> unparkAll());
    }

    public WorkOptions options() {
        return options;
    }

    /** Queues an item; never blocks. Overflow and coalescing are journaled here. */
    public void submit(WorkItem item) {
        if (!accepting) {
            runner.journal(item, item.decodedWith, Outcome.SKIPPED, null, null, "daemon is stopping");
            return;
        }
        Lane lane = lane(item.domain);
        WorkItem replaced = null;
        boolean overflow = false;
        boolean schedule = false;
        synchronized (lane) {
            Lane.CoalesceKey ck = item.coalesceKey == null ? null : new Lane.CoalesceKey(item.key, item.coalesceKey);
            if (ck != null) {
                replaced = lane.coalescing.remove(ck);
                if (replaced != null) {
                    replaced.coalesced = true;
                    lane.live--;
                }
            }
            if (lane.live >= options.queueLimit() && item.resync == null) {
                overflow = true;
                lane.overflows++;
                if (item.decodedWith.handler().resync() != null) {
                    lane.pendingResync.putIfAbsent(item.key, new Lane.PendingResync(item.domain, ResyncReason.OVERFLOW));
                }
            } else {
                lane.items.add(item);
                lane.live++;
                queued.incrementAndGet();
                if (ck != null) {
                    lane.coalescing.put(ck, item);
                }
                if (!lane.scheduled && !lane.parked) {
                    lane.scheduled = true;
                    schedule = true;
                }
            }
        }
        if (replaced != null) {
            runner.journal(replaced, replaced.decodedWith, Outcome.COALESCED, null, null, null);
        }
        if (overflow) {
            long n;
            synchronized (lane) {
                n = lane.overflows;
            }
            if (n == 1 || n % 1000 == 0) {
                log.warn("domain '{}': queue full ({} items); {} event(s) not queued so far, handlers will resync",
                        item.domain.name(), options.queueLimit(), n);
            }
            runner.journal(item, item.decodedWith, Outcome.OVERFLOW, null, null,
                    "queue of domain '" + item.domain.name() + "' is full (" + options.queueLimit() + ")");
        }
        if (schedule) {
            workers.execute(() -> drain(lane));
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

    /** Items of one plugin's handlers queued now, over all domains. */
    public int queuedFor(String pluginId) {
        int n = 0;
        for (Lane lane : lanes.values()) {
            synchronized (lane) {
                for (WorkItem i : lane.items) {
                    if (!i.coalesced && i.key.pluginId().equals(pluginId)) {
                        n++;
                    }
                }
            }
        }
        return n;
    }

    /** Items queued since start. */
    public long queuedTotal() {
        return queued.get();
    }

    private Lane lane(WorkDomain domain) {
        String name = options.globalFifo() ? GLOBAL_LANE : domain.name();
        return lanes.computeIfAbsent(name, Lane::new);
    }

    private void drain(Lane lane) {
        for (int done = 0; done < BATCH; done++) {
            WorkItem item;
            synchronized (lane) {
                if (!running) {
                    lane.scheduled = false;
                    return;
                }
                item = lane.items.peek();
                if (item == null && !lane.pendingResync.isEmpty()) {
                    queueOwedResyncs(lane);
                    item = lane.items.peek();
                }
                if (item == null) {
                    lane.scheduled = false;
                    return;
                }
                if (!item.coalesced && !registry.tryEnter(item.key.pluginId())) {
                    lane.parked = true;
                    lane.scheduled = false;
                    return;
                }
                lane.items.poll();
                if (!item.coalesced) {
                    lane.live--;
                    if (item.coalesceKey != null) {
                        lane.coalescing.remove(new Lane.CoalesceKey(item.key, item.coalesceKey), item);
                    }
                }
            }
            if (item.coalesced) {
                continue;
            }
            try {
                process(item);
            } finally {
                registry.exit(item.key.pluginId());
                reportedSlow.remove(item);
            }
        }
        // Let other lanes have this worker; come back later.
        if (running) {
            workers.execute(() -> drain(lane));
        }
    }

    private void queueOwedResyncs(Lane lane) {
        var owed = new ArrayList<>(lane.pendingResync.entrySet());
        lane.pendingResync.clear();
        for (var e : owed) {
            TableEntry entry = registry.table().find(e.getKey());
            if (entry != null && entry.handler().resync() != null) {
                lane.items.add(WorkItem.resync(e.getValue().domain(), entry, e.getValue().reason()));
                lane.live++;
            }
        }
    }

    private void process(WorkItem item) {
        TableEntry entry = registry.table().find(item.key);
        if (entry == null) {
            runner.journal(item, null, Outcome.UNHANDLED, null, null,
                    "plugin '" + item.key.pluginId() + "' no longer handles " + item.key.event());
            return;
        }
        Object payload = item.payload;
        if (entry != item.decodedWith && item.resync == null) {
            // The plugin was reloaded while the event waited: decode again with the new version's types.
            try {
                payload = entry.decode(item.data);
            } catch (Exception | LinkageError e) {
                runner.journal(item, entry, Outcome.FAILED, null, null,
                        "cannot decode " + item.event + " data for " + entry.pluginId() + " " + entry.pluginVersion()
                                + ": " + ItemRunner.describe(e));
                return;
            }
        }
        runner.run(item, entry, payload);
    }

    private void unparkAll() {
        for (Lane lane : lanes.values()) {
            boolean schedule = false;
            synchronized (lane) {
                if (lane.parked) {
                    lane.parked = false;
                    if (!lane.scheduled) {
                        lane.scheduled = true;
                        schedule = true;
                    }
                }
            }
            if (schedule && running) {
                workers.execute(() -> drain(lane));
            }
        }
    }

    private void reportSlow() {
        long now = System.nanoTime();
        long threshold = options.slowThreshold().toNanos();
        for (var e : runner.running().entrySet()) {
            ItemRunner.Running r = e.getValue();
            long took = now - r.startNanos();
            if (took > threshold && reportedSlow.putIfAbsent(e.getKey(), Boolean.TRUE) == null) {
                WorkItem item = e.getKey();
                log.warn("domain '{}': plugin {} has been processing {} for {} ms (worker {})", item.domain.name(),
                        r.entry().pluginId(), item.event, took / 1_000_000, r.worker().getName());
                journal.record(new JournalRecord(Instant.now(), item.domain.name(), item.event, item.timestamp,
                        r.entry().pluginId(), r.entry().pluginVersion(), item.key.type(), Outcome.SLOW,
                        (r.startNanos() - item.receivedNanos) / 1000, took / 1000,
                        "still running after " + took / 1_000_000 + " ms"));
            }
        }
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
        close();
        journalLeftBehind();
        return drained;
    }

    /** Items still queued when the workers stopped: never silently dropped, journaled as skipped. */
    private void journalLeftBehind() {
        for (Lane lane : lanes.values()) {
            List<WorkItem> left;
            synchronized (lane) {
                left = List.copyOf(lane.items);
                lane.items.clear();
                lane.live = 0;
            }
            for (WorkItem item : left) {
                if (!item.coalesced) {
                    runner.journal(item, item.decodedWith, Outcome.SKIPPED, null, null,
                            "daemon stopped before it ran (stop deadline passed)");
                }
            }
        }
    }

    private boolean idle() {
        if (!runner.running().isEmpty()) {
            return false;
        }
        for (Lane lane : lanes.values()) {
            synchronized (lane) {
                if (lane.live > 0 || lane.scheduled) {
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

    /** Runs owed resyncs or the given one for every handler with a hook, in the domain's order. */
    public void resync(WorkDomain domain, List<TableEntry> entries, ResyncReason reason) {
        for (TableEntry e : entries) {
            submit(WorkItem.resync(domain, e, reason));
        }
    }
}
