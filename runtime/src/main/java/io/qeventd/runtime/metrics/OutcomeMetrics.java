package io.qeventd.runtime.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.qeventd.api.ResyncReason;
import io.qeventd.runtime.dispatch.HandlerRegistry;
import io.qeventd.runtime.journal.JournalRecord;
import io.qeventd.runtime.journal.JournalSink;
import io.qeventd.runtime.journal.Outcome;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Counts outcomes from the journal, on the journal's dispatch thread, so that monitor readers and workers do
 * no more than they did: outcomes per plugin, event and outcome; the receipt-to-start latency and the
 * processing time per plugin; coalesced and overflowed events per domain; resyncs per reason.
 */
final class OutcomeMetrics implements JournalSink {
    private static final String RESYNC_PREFIX = "resync/";
    /** Receipt to processor start: from a free worker (tens of microseconds) to a long queue (seconds). */
    static final double[] LATENCY_BUCKETS = {0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
        0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};
    /** Processor run time: bookkeeping handlers take microseconds, ones that query QEMU or the host milliseconds. */
    static final double[] PROCESSING_BUCKETS = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
        0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};

    private final PluginLabels plugins;
    private final EventLabels events;
    private final Counter outcomes;
    private final Histogram latency;
    private final Histogram processing;
    private final Counter resyncs;
    private final Map<String, LongAdder> coalesced = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> overflowed = new ConcurrentHashMap<>();

    OutcomeMetrics(PrometheusRegistry registry, HandlerRegistry handlers, Supplier<Set<String>> attachedDomains) {
        this.plugins = new PluginLabels(handlers);
        this.events = new EventLabels(handlers::table);
        this.outcomes = Counter.builder()
                .name("qeventd_outcomes_total")
                .help("Outcomes of events for handlers, as journaled: one per event and handler (unhandled: one per"
                        + " event, plugin=\"\"). event is \"other\" for names outside the QEMU events catalogue and"
                        + " the event table; plugin is \"other\" for a plugin no longer loaded")
                .labelNames("plugin", "event", "outcome")
                .register(registry);
        this.latency = Histogram.builder()
                .name("qeventd_event_latency_seconds")
                .help("Time from an event's receipt to the start of its processor, per plugin")
                .labelNames("plugin")
                .classicOnly()
                .classicUpperBounds(LATENCY_BUCKETS)
                .register(registry);
        this.processing = Histogram.builder()
                .name("qeventd_processing_seconds")
                .help("Time a processor ran, per plugin")
                .labelNames("plugin")
                .classicOnly()
                .classicUpperBounds(PROCESSING_BUCKETS)
                .register(registry);
        this.resyncs = Counter.builder()
                .name("qeventd_resyncs_total")
                .help("Resync runs of handlers, per reason (connected, reconnected, reset, overflow, plugin_loaded,"
                        + " operator)")
                .labelNames("reason")
                .register(registry);
        for (ResyncReason r : ResyncReason.values()) {
            resyncs.initLabelValues(reason(r.name()));
        }
        perDomain(registry, "qeventd_events_coalesced_total",
                "Queued events replaced by a newer one with the same coalescing key (outcome coalesced), per domain",
                coalesced, attachedDomains);
        perDomain(registry, "qeventd_events_overflowed_total",
                "Events not queued because the domain's queue was full (outcome overflow), per domain",
                overflowed, attachedDomains);
    }

    /** A counter of attached domains only: a detached domain's series goes at the next scrape. */
    private static void perDomain(PrometheusRegistry registry, String name, String help, Map<String, LongAdder> counts,
                                  Supplier<Set<String>> attachedDomains) {
        CounterWithCallback.builder()
                .name(name)
                .help(help)
                .labelNames("domain")
                .callback(cb -> {
                    Set<String> attached = attachedDomains.get();
                    counts.keySet().retainAll(attached);
                    counts.forEach((domain, n) -> cb.call(n.sum(), domain));
                })
                .register(registry);
    }

    @Override
    public void record(JournalRecord r) {
        plugins.forgetGone(this::removePlugin);
        String plugin = plugins.of(r.plugin());
        Outcome outcome = r.outcome();
        outcomes.labelValues(plugin, events.of(r.event()), outcome.journalName()).inc();
        if (outcome == Outcome.SLOW) {
            return; // reported while the processor still runs; its final outcome carries the times
        }
        if (r.latencyMicros() != null) {
            latency.labelValues(plugin).observe(r.latencyMicros() / 1e6);
        }
        if (r.processingMicros() != null) {
            processing.labelValues(plugin).observe(r.processingMicros() / 1e6);
        }
        if (outcome == Outcome.COALESCED && r.domain() != null) {
            coalesced.computeIfAbsent(r.domain(), d -> new LongAdder()).increment();
        } else if (outcome == Outcome.OVERFLOW && r.domain() != null) {
            overflowed.computeIfAbsent(r.domain(), d -> new LongAdder()).increment();
        }
        if (r.event() != null && r.event().startsWith(RESYNC_PREFIX) && outcome != Outcome.COALESCED) {
            String label = events.of(r.event());
            if (!label.equals(EventLabels.OTHER)) {
                resyncs.labelValues(reason(label.substring(RESYNC_PREFIX.length()))).inc();
            }
        }
    }

    @Override
    public void flush() {
        plugins.forgetGone(this::removePlugin);
    }

    private void removePlugin(String id) {
        outcomes.removeIf(labels -> labels.get(0).equals(id));
        latency.remove(id);
        processing.remove(id);
    }

    private static String reason(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
