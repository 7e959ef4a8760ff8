package io.qeventd.runtime.work;

import io.qeventd.api.Event;
import io.qeventd.api.HostNetwork;
import io.qeventd.api.Processor;
import io.qeventd.runtime.dispatch.TableEntry;
import io.qeventd.runtime.journal.Journal;
import io.qeventd.runtime.journal.JournalRecord;
import io.qeventd.runtime.journal.Outcome;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs one work item on a worker: takes the domain's job, checks the domain is still active, calls the
 * processor (or resync hook), and journals the outcome. Everything a handler throws stays here.
 */
final class ItemRunner {
    private static final Logger log = LoggerFactory.getLogger(ItemRunner.class);
    /** Each plugin's logger ({@code qeventd.plugin.ID}), looked up once rather than by a name built per item. */
    private static final Map<String, Logger> PLUGIN_LOGGERS = new ConcurrentHashMap<>();

    private final Journal journal;
    private final HostNetwork host;
    private final Map<WorkItem, Running> running = new ConcurrentHashMap<>();

    /**
     * A processor running now. {@code interrupted} is set when processTimeout passed and the worker was
     * interrupted. Whoever removes it from {@link #running} first, the worker on return or the watchdog giving
     * up on it, decides the item's record.
     */
    static final class Running {
        final TableEntry entry;
        final long startNanos;
        final Thread worker;
        final Object jobToken;
        final WorkDomain domain;
        volatile boolean interrupted;

        Running(TableEntry entry, long startNanos, Thread worker, Object jobToken, WorkDomain domain) {
            this.entry = entry;
            this.startNanos = startNanos;
            this.worker = worker;
            this.jobToken = jobToken;
            this.domain = domain;
        }

        TableEntry entry() {
            return entry;
        }

        long startNanos() {
            return startNanos;
        }

        Thread worker() {
            return worker;
        }
    }

    ItemRunner(Journal journal, HostNetwork host) {
        this.journal = journal;
        this.host = host;
    }

    Map<WorkItem, Running> running() {
        return running;
    }

    /**
     * Runs the item and journals its outcome.
     *
     * @return false when the watchdog gave up on the processor while it ran (its plugin is wedged): the item's
     *         record was written then, and the lane is no longer this worker's
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    boolean run(WorkItem item, TableEntry entry, Object payload, Duration processTimeout) {
        WorkDomain domain = item.domain;
        boolean afterEnd = entry.handler().runsAfterDomainEnd();
        if (!afterEnd && !domain.isActive()) {
            journal(item, entry, Outcome.SKIPPED, null, null, "domain '" + domain.name() + "' is not active");
            return true;
        }
        Object job = domain.job().acquire();
        long start = System.nanoTime();
        long latency = (start - item.receivedNanos) / 1000;
        Outcome outcome = Outcome.PROCESSED;
        String error = null;
        RunContext ctx = null;
        Thread worker = Thread.currentThread();
        ClassLoader workerLoader = worker.getContextClassLoader();
        Running me = new Running(entry, start, worker, job, domain);
        boolean owned;
        try {
            if (!afterEnd && !domain.isActive()) {
                journal(item, entry, Outcome.SKIPPED, null, null, "domain '" + domain.name() + "' is not active");
                return true;
            }
            running.put(item, me);
            MDC.put("domain", domain.name());
            MDC.put("plugin", entry.pluginId());
            // Libraries the processor uses, and threads it starts, see the plugin's classes.
            worker.setContextClassLoader(entry.handler().processor().getClass().getClassLoader());
            ctx = new RunContext(domain, entry.mapper(), host, pluginLogger(entry.pluginId()), entry.settings());
            if (item.resync != null) {
                entry.handler().resync().resync(ctx, item.resync);
            } else {
                Processor p = entry.handler().processor();
                p.process(ctx, new Event(domain.name(), item.event, entry.handler().type(), payload, item.timestamp,
                        item.received));
            }
        } catch (Throwable t) {
            // Everything a processor throws, Errors included, ends as a record: the lane must go on.
            error = describe(t);
            if (me.interrupted) {
                outcome = Outcome.FAILED;
                error = "did not finish within processTimeout (" + processTimeout.toMillis() + " ms) and was"
                        + " interrupted: " + error;
            } else if (!afterEnd && !domain.isActive()) {
                // The domain went away under the processor: a normal end, not a handler failure.
                outcome = Outcome.SKIPPED;
            } else {
                outcome = Outcome.FAILED;
                log.warn("domain '{}': plugin {} failed on {}: {}", domain.name(), entry.pluginId(), item.event, error,
                        t);
            }
        } finally {
            worker.setContextClassLoader(workerLoader);
            owned = running.remove(item, me);
            MDC.remove("domain");
            MDC.remove("plugin");
            domain.job().release(job);
            if (me.interrupted) {
                Thread.interrupted(); // the interrupt was for this processor, not for the next item
            }
        }
        if (!owned) {
            return false;
        }
        long took = (System.nanoTime() - start) / 1000;
        journal.record(item.outcome(entry.pluginId(), entry.pluginVersion(), outcome, latency, took, error,
                ctx == null ? List.of() : ctx.actions()));
        return true;
    }

    static Logger pluginLogger(String pluginId) {
        Logger l = PLUGIN_LOGGERS.get(pluginId);
        if (l == null) {
            l = PLUGIN_LOGGERS.computeIfAbsent(pluginId, id -> LoggerFactory.getLogger("qeventd.plugin." + id));
        }
        return l;
    }

    /** A record for an item that did not run: {@code entry} null names the version current on arrival. */
    void journal(WorkItem item, TableEntry entry, Outcome outcome, Long latency, Long processing, String error) {
        journal.record(item.outcome(item.key.pluginId(), entry == null ? item.versionOnArrival : entry.pluginVersion(),
                outcome, latency, processing, error, List.of()));
    }

    void record(JournalRecord r) {
        journal.record(r);
    }

    /** One line naming what was thrown, with the cause of an error that only wraps one (a failed initialiser). */
    static String describe(Throwable t) {
        String m = t.getMessage();
        String what = m == null || m.isBlank() ? t.getClass().getName() : t.getClass().getSimpleName() + ": " + m;
        Throwable c = t.getCause();
        if (c != null && c != t && (m == null || m.isBlank() || t instanceof LinkageError)) {
            String cm = c.getMessage();
            what += " (caused by " + c.getClass().getSimpleName() + (cm == null ? "" : ": " + cm) + ")";
        }
        int nl = what.indexOf('\n');
        return nl < 0 ? what : what.substring(0, nl);
    }
}
