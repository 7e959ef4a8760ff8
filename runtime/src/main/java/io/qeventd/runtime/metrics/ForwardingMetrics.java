package io.qeventd.runtime.metrics;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Sinks shipped beside the runtime (Kafka forwarding), sampled at scrape time from what they report to
 * {@code qeventd status}: labelled by their configuration section, so one series each.
 */
final class ForwardingMetrics {
    private ForwardingMetrics() {
    }

    /** @param status each sink's status by section (its figures {@code state}, {@code waitingBytes}, ...) */
    static void register(PrometheusRegistry registry, Supplier<Map<String, Map<String, Object>>> status) {
        GaugeWithCallback.builder()
                .name("qeventd_forwarding_sending")
                .help("1 while a forwarder sends, 0 while it cannot reach its destination")
                .labelNames("sink")
                .callback(cb -> status.get().forEach((sink, f) -> cb.call("sending".equals(f.get("state")) ? 1 : 0,
                        sink)))
                .register(registry);
        GaugeWithCallback.builder()
                .name("qeventd_forwarding_waiting_bytes")
                .help("Bytes of records a forwarder holds in its spool, not yet acknowledged")
                .labelNames("sink")
                .callback(cb -> figure(status, "waitingBytes", cb::call))
                .register(registry);
        CounterWithCallback.builder()
                .name("qeventd_forwarding_sent_records_total")
                .help("Records a forwarder's destination acknowledged since start")
                .labelNames("sink")
                .callback(cb -> figure(status, "sent", cb::call))
                .register(registry);
        CounterWithCallback.builder()
                .name("qeventd_forwarding_dropped_records_total")
                .help("Records a forwarder dropped since start (a full spool, or too large to send)")
                .labelNames("sink")
                .callback(cb -> status.get().forEach((sink, f) -> cb.call(number(f.get("dropped"))
                        + number(f.get("tooLarge")), sink)))
                .register(registry);
    }

    private interface Call {
        void call(double value, String... labels);
    }

    private static void figure(Supplier<Map<String, Map<String, Object>>> status, String name, Call cb) {
        status.get().forEach((sink, f) -> {
            if (f.get(name) instanceof Number n) {
                cb.call(n.doubleValue(), sink);
            }
        });
    }

    private static double number(Object o) {
        return o instanceof Number n ? n.doubleValue() : 0;
    }
}
