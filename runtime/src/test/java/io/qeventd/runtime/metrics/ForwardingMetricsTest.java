package io.qeventd.runtime.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** A forwarder's status (what qeventd status shows) as series labelled by its section, read at scrape time. */
class ForwardingMetricsTest {

    @Test
    void aForwardersFiguresAreSeriesOfItsSection() {
        PrometheusRegistry registry = new PrometheusRegistry();
        AtomicReference<Map<String, Map<String, Object>>> status = new AtomicReference<>(Map.of());
        ForwardingMetrics.register(registry, status::get);
        assertThat(Exposition.scrape(registry).named("qeventd_forwarding_waiting_bytes")).isEmpty();

        status.set(Map.of("kafka", Map.of("state", "broker unreachable", "waitingBytes", 48_213L, "sent", 0L,
                "dropped", 3L, "tooLarge", 1L, "error", "TimeoutException")));
        Exposition away = Exposition.scrape(registry);
        assertThat(away.named("qeventd_forwarding_sending")).singleElement()
                .satisfies(s -> assertThat(s.labels()).containsEntry("sink", "kafka"))
                .satisfies(s -> assertThat(s.value()).isZero());
        assertThat(away.named("qeventd_forwarding_waiting_bytes")).singleElement()
                .satisfies(s -> assertThat(s.value()).isEqualTo(48_213));
        assertThat(away.named("qeventd_forwarding_dropped_records_total")).singleElement()
                .satisfies(s -> assertThat(s.value()).isEqualTo(4));

        status.set(Map.of("kafka", Map.of("state", "sending", "waitingBytes", 0L, "sent", 1200L, "dropped", 3L,
                "tooLarge", 1L)));
        Exposition back = Exposition.scrape(registry);
        assertThat(back.named("qeventd_forwarding_sending")).singleElement()
                .satisfies(s -> assertThat(s.value()).isEqualTo(1));
        assertThat(back.named("qeventd_forwarding_sent_records_total")).singleElement()
                .satisfies(s -> assertThat(s.value()).isEqualTo(1200));
    }
}
