package io.qeventd.runtime.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.qeventd.api.EventType;
import io.qeventd.api.Handler;
import io.qeventd.runtime.dispatch.HandlerRegistry;
import io.qeventd.runtime.dispatch.PluginHandlers;
import io.qeventd.runtime.journal.JournalRecord;
import io.qeventd.runtime.journal.Outcome;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Label values stay bounded whatever QEMU sends and whatever plugins come and go. */
class MetricsCardinalityTest {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final HandlerRegistry handlers = new HandlerRegistry();
    private final OutcomeMetrics metrics = new OutcomeMetrics(registry, handlers, () -> Set.of("vm1"));

    enum Type implements EventType { MADE_UP }

    @Test
    void aFloodOfDistinctEventNamesIsOneOtherSeries() {
        int flood = 100_000;
        for (int i = 0; i < flood; i++) {
            metrics.record(unhandled("NO_SUCH_EVENT_" + i));
        }

        List<Exposition.Sample> outcomes = Exposition.scrape(registry).named("qeventd_outcomes_total");

        assertThat(outcomes).singleElement().satisfies(s -> {
            assertThat(s.labels()).isEqualTo(Map.of("plugin", "", "event", "other", "outcome", "unhandled"));
            assertThat(s.value()).isEqualTo(flood);
        });
    }

    @Test
    void catalogueNamesAndNamesOfTheEventTableKeepTheirName() {
        handlers.register(plugin("p1"));

        metrics.record(unhandled("STOP"));
        metrics.record(processed("p1", "MADE_UP"));
        metrics.record(unhandled("NOT_A_QEMU_EVENT"));

        assertThat(Exposition.scrape(registry).named("qeventd_outcomes_total"))
                .extracting(s -> s.labels().get("event"))
                .containsExactlyInAnyOrder("STOP", "MADE_UP", "other");
    }

    @Test
    void anUnloadedPluginsSeriesAreRemovedAndItsLateOutcomesCountAsOther() {
        handlers.register(plugin("p1"));
        metrics.record(processed("p1", "MADE_UP"));
        assertThat(Exposition.scrape(registry).named("qeventd_processing_seconds_count"))
                .extracting(s -> s.labels().get("plugin")).containsExactly("p1");

        handlers.unregister("p1");
        metrics.record(new JournalRecord(Instant.now(), "vm1", "MADE_UP", null, "p1", "1.0.0", "MADE_UP",
                Outcome.SKIPPED, null, null, "domain 'vm1' is not active"));

        Exposition after = Exposition.scrape(registry);
        assertThat(after.samples()).noneMatch(s -> "p1".equals(s.labels().get("plugin")));
        assertThat(after.named("qeventd_outcomes_total")).singleElement()
                .satisfies(s -> assertThat(s.labels()).containsEntry("plugin", "other").containsEntry("outcome",
                        "skipped"));
    }

    @Test
    void aDetachedDomainsOverflowSeriesGoAtTheNextScrape() {
        handlers.register(plugin("p1"));
        metrics.record(overflow("vm1"));
        metrics.record(overflow("vm9")); // detached since

        assertThat(Exposition.scrape(registry).named("qeventd_events_overflowed_total"))
                .extracting(s -> s.labels().get("domain")).containsExactly("vm1");
    }

    @Test
    void resyncsCountPerReasonAndAForgedResyncNameIsOther() {
        handlers.register(plugin("p1"));
        metrics.record(processed("p1", "resync/RESET"));
        metrics.record(unhandled("resync/ANYTHING"));

        Exposition e = Exposition.scrape(registry);
        assertThat(e.named("qeventd_resyncs_total")).filteredOn(s -> s.value() > 0)
                .singleElement().satisfies(s -> assertThat(s.labels()).containsEntry("reason", "reset"));
        assertThat(e.named("qeventd_outcomes_total")).extracting(s -> s.labels().get("event"))
                .containsExactlyInAnyOrder("resync/RESET", "other");
    }

    private static JournalRecord unhandled(String event) {
        return new JournalRecord(Instant.now(), "vm1", event, null, null, null, null, Outcome.UNHANDLED, null, null,
                null);
    }

    private static JournalRecord processed(String plugin, String event) {
        return new JournalRecord(Instant.now(), "vm1", event, null, plugin, "1.0.0", "MADE_UP", Outcome.PROCESSED,
                40L, 120L, null);
    }

    private static JournalRecord overflow(String domain) {
        return new JournalRecord(Instant.now(), domain, "MADE_UP", null, "p1", "1.0.0", "MADE_UP", Outcome.OVERFLOW,
                null, null, "queue full");
    }

    private static PluginHandlers plugin(String id) {
        Handler<?> h = Handler.on("MADE_UP", Map.class).type(Type.MADE_UP).process((ctx, e) -> { });
        return new PluginHandlers(id, "1.0.0", List.of(h), new ObjectMapper(), null);
    }
}
