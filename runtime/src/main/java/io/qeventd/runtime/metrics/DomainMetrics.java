package io.qeventd.runtime.metrics;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.qeventd.runtime.domain.DomainHandle;
import io.qeventd.runtime.domain.DomainRegistry;
import io.qeventd.runtime.monitor.MonitorConnection;
import io.qeventd.runtime.work.WorkQueue;
import java.util.function.ToDoubleFunction;

/**
 * Series per attached domain, sampled at scrape time from counters the monitors and the queue keep anyway:
 * nothing is added to the reader's or the workers' path, and a detached domain's series are gone at the next
 * scrape.
 */
final class DomainMetrics {
    private DomainMetrics() {
    }

    static void register(PrometheusRegistry registry, DomainRegistry domains, WorkQueue queue) {
        counter(registry, domains, "qeventd_events_read_total", "QMP events read from the domain's monitor",
                m -> m.stats().events());
        counter(registry, domains, "qeventd_monitor_connects_total",
                "Connections to the domain's monitor that were negotiated", m -> m.stats().connects());
        counter(registry, domains, "qeventd_monitor_disconnects_total",
                "Negotiated connections to the domain's monitor that ended", MonitorConnection::disconnects);
        counter(registry, domains, "qeventd_monitor_malformed_lines_total",
                "Lines from the domain's monitor that were no QMP message (skipped)", m -> m.stats().malformedLines());
        GaugeWithCallback.builder()
                .name("qeventd_queue_depth_items")
                .help("Items (events and resyncs) waiting in the domain's queue for a worker")
                .labelNames("domain")
                .callback(cb -> {
                    for (DomainHandle d : domains.all()) {
                        cb.call(queue.depth(d.name()), d.name());
                    }
                })
                .register(registry);
    }

    private static void counter(PrometheusRegistry registry, DomainRegistry domains, String name, String help,
                                ToDoubleFunction<MonitorConnection> value) {
        CounterWithCallback.builder()
                .name(name)
                .help(help)
                .labelNames("domain")
                .callback(cb -> {
                    for (DomainHandle d : domains.all()) {
                        MonitorConnection m = d.monitor();
                        if (m != null) {
                            cb.call(value.applyAsDouble(m), d.name());
                        }
                    }
                })
                .register(registry);
    }
}
