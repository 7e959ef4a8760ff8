package io.qeventd.runtime.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.qeventd.runtime.daemon.Daemon;
import io.qeventd.runtime.journal.Outcome;
import io.qeventd.runtime.testing.DaemonFixture;
import io.qeventd.runtime.testing.DaemonPlugins;
import io.qeventd.runtime.testing.Eventually;
import io.qeventd.runtime.testing.JournalLines;
import io.qeventd.runtime.testing.PluginJarBuilder;
import io.qeventd.runtime.testing.Qemu;
import io.qeventd.runtime.testing.QemuRawQmp;
import io.qeventd.testkit.qmp.FakeQmpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon scraped by a real Prometheus server: after known events, the series Prometheus stores match what
 * the daemon journaled; a detached domain's series go away.
 */
class MetricsPrometheusTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String METRICS_ON = "metrics:\n  listen: 127.0.0.1:0\n";

    @TempDir
    Path dir;

    @Test
    void outcomesLatenciesAndDomainSeriesOfARealQemuMatchTheJournal() throws Exception {
        try (Qemu qemu = Qemu.builder().paused().qmpSocket("daemon").qmpSocket("test").start();
             QemuRawQmp test = QemuRawQmp.connect(qemu.qmpSocket("test"), WAIT);
             DaemonFixture fixture = DaemonFixture.in(dir).domain("vm1", qemu.qmpSocket("daemon")).yaml(METRICS_ON)) {
            DaemonPlugins.runState(fixture.pluginsDir);
            Daemon daemon = fixture.start();
            fixture.awaitConnected("vm1", WAIT);
            InetSocketAddress metrics = daemon.metricsAddress().orElseThrow();
            try (PrometheusServer prometheus = PrometheusServer.start(dir.resolve("prometheus"), metrics)) {
                int cycles = 3;
                for (int i = 0; i < cycles; i++) {
                    test.execute("cont");
                    test.awaitEvent("RESUME");
                    test.execute("stop");
                    test.awaitEvent("STOP");
                }
                Eventually.await("every STOP and RESUME handled", WAIT,
                        () -> daemon.counters().handled("run-state") == 2 * cycles);
                assertThat(daemon.journal().flush(WAIT)).isTrue();
                List<JsonNode> journal = JournalLines.read(fixture.journal);
                long stops = count(journal, r -> is(r, "run-state", "STOP", "processed"));
                long resumes = count(journal, r -> is(r, "run-state", "RESUME", "processed"));
                long started = count(journal, r -> "run-state".equals(r.path("plugin").asText())
                        && !r.path("latencyMicros").isNull() && !"slow".equals(r.path("outcome").asText()));
                long ran = count(journal, r -> "run-state".equals(r.path("plugin").asText())
                        && !r.path("processingMicros").isNull() && !"slow".equals(r.path("outcome").asText()));
                long read = daemon.domains().get("vm1").orElseThrow().monitor().stats().events();
                assertThat(stops).isEqualTo(cycles);
                assertThat(resumes).isEqualTo(cycles);
                assertThat(started).isEqualTo(2 * cycles);
                assertThat(read).isGreaterThanOrEqualTo(2 * cycles);

                prometheus.awaitValue("qeventd_outcomes_total{plugin=\"run-state\",event=\"STOP\",outcome=\"processed\"}",
                        stops, WAIT);
                prometheus.awaitValue(
                        "qeventd_outcomes_total{plugin=\"run-state\",event=\"RESUME\",outcome=\"processed\"}",
                        resumes, WAIT);
                prometheus.awaitValue("qeventd_event_latency_seconds_count{plugin=\"run-state\"}", started, WAIT);
                prometheus.awaitValue("qeventd_processing_seconds_count{plugin=\"run-state\"}", ran, WAIT);
                prometheus.awaitValue("qeventd_event_latency_seconds_bucket{plugin=\"run-state\",le=\"+Inf\"}",
                        started, WAIT);
                prometheus.awaitValue("qeventd_events_read_total{domain=\"vm1\"}", read, WAIT);
                prometheus.awaitValue("qeventd_monitor_connects_total{domain=\"vm1\"}", 1, WAIT);
                prometheus.awaitValue("qeventd_monitor_disconnects_total{domain=\"vm1\"}", 0, WAIT);
                prometheus.awaitValue("qeventd_monitor_malformed_lines_total{domain=\"vm1\"}", 0, WAIT);
                prometheus.awaitValue("qeventd_queue_depth_items{domain=\"vm1\"}", 0, WAIT);
                prometheus.awaitValue("qeventd_journal_lost_records_total", 0, WAIT);
                prometheus.awaitValue("qeventd_journal_file_ok", 1, WAIT);
                prometheus.awaitValue("qeventd_plugin_reloads_total{plugin=\"run-state\",result=\"ok\"}", 0, WAIT);
                assertThat(prometheus.query("jvm_memory_used_bytes")).isNotEmpty();

                daemon.domains().detach("vm1");

                Eventually.await("the daemon's /metrics no longer names vm1", WAIT, () -> scrape(metrics),
                        text -> !text.contains("domain=\"vm1\"") && text.contains("qeventd_outcomes_total"));
                prometheus.awaitNone("{domain=\"vm1\"}", WAIT);
                // Outcomes are not per domain: they stay.
                prometheus.awaitValue(
                        "qeventd_outcomes_total{plugin=\"run-state\",event=\"STOP\",outcome=\"processed\"}", stops, WAIT);
            }
        }
    }

    @Test
    void overflowQueueDepthAndAFloodOfNamesFromAFakeQemuMatchTheJournal() throws Exception {
        Path vm2 = dir.resolve("vm2.qmp");
        Path gate = dir.resolve("gate-open");
        int work = 10;
        int hostile = 500;
        try (FakeQmpServer qemu = FakeQmpServer.start(vm2);
             DaemonFixture fixture = DaemonFixture.in(dir).domain("vm2", vm2)
                     .yaml("queueLimit: 3\nslowThreshold: 5m\nprocessTimeout: 10m\n" + METRICS_ON)) {
            gateWork(fixture.pluginsDir);
            Daemon daemon = fixture.start();
            qemu.awaitClient(WAIT);
            fixture.awaitConnected("vm2", WAIT);
            try (PrometheusServer prometheus = PrometheusServer.start(dir.resolve("prometheus"),
                    daemon.metricsAddress().orElseThrow())) {
                // The first WORK holds its worker until the gate opens; the queue fills and the rest overflow.
                for (int seq = 0; seq < work; seq++) {
                    qemu.emit("WORK", Map.of("seq", seq, "gate", gate.toString()));
                }
                // A hostile QEMU: ever new event names.
                for (int i = 0; i < hostile; i++) {
                    qemu.emit("NO_SUCH_EVENT_" + i, Map.of());
                }
                // A catalogue name nobody handles, last: once it is journaled, everything before it was read.
                qemu.emit("RTC_CHANGE", Map.of("offset", 0, "qom-path", "/machine/unattached/device[0]"));
                Eventually.await("every unhandled event journaled", WAIT,
                        () -> daemon.journal().counts().get(Outcome.UNHANDLED) == hostile + 1);
                int depth = daemon.queue().depth("vm2");
                long overflow = daemon.journal().counts().get(Outcome.OVERFLOW);
                assertThat(depth).isPositive();
                assertThat(overflow).isPositive();

                prometheus.awaitValue("qeventd_queue_depth_items{domain=\"vm2\"}", depth, WAIT);
                prometheus.awaitValue("qeventd_events_overflowed_total{domain=\"vm2\"}", overflow, WAIT);
                prometheus.awaitValue("sum(qeventd_outcomes_total{outcome=\"overflow\"})", overflow, WAIT);
                prometheus.awaitValue("qeventd_outcomes_total{plugin=\"\",event=\"other\",outcome=\"unhandled\"}",
                        hostile, WAIT);
                prometheus.awaitValue("qeventd_outcomes_total{plugin=\"\",event=\"RTC_CHANGE\",outcome=\"unhandled\"}",
                        1, WAIT);
                prometheus.awaitValue("count(qeventd_outcomes_total{outcome=\"unhandled\"})", 2, WAIT);
                prometheus.awaitValue("qeventd_events_read_total{domain=\"vm2\"}", work + hostile + 1, WAIT);

                Files.createFile(gate);
                Eventually.await("the queue drained", WAIT,
                        () -> daemon.queue().depth("vm2") == 0 && daemon.queue().pendingResyncs("vm2") == 0);
                // The lane runs in order: once this one is journaled, so is everything queued before it.
                qemu.emit("WORK", Map.of("seq", 99, "gate", gate.toString()));
                JournalLines.awaitAction(fixture.journal, "work 99", WAIT);
                assertThat(daemon.journal().flush(WAIT)).isTrue();
                List<JsonNode> journal = JournalLines.read(fixture.journal);
                long processed = count(journal, r -> is(r, "gate-work", "WORK", "processed"));
                long overflowResyncs = count(journal, r -> is(r, "gate-work", "resync/OVERFLOW", "processed"));
                long connectResyncs = count(journal, r -> is(r, "gate-work", "resync/CONNECTED", "processed"));
                long started = count(journal, r -> "gate-work".equals(r.path("plugin").asText())
                        && !r.path("latencyMicros").isNull() && !"slow".equals(r.path("outcome").asText()));
                assertThat(processed + overflow).isEqualTo(work + 1);
                assertThat(overflowResyncs).isPositive();

                prometheus.awaitValue("qeventd_queue_depth_items{domain=\"vm2\"}", 0, WAIT);
                prometheus.awaitValue("qeventd_outcomes_total{plugin=\"gate-work\",event=\"WORK\",outcome=\"processed\"}",
                        processed, WAIT);
                prometheus.awaitValue("qeventd_resyncs_total{reason=\"overflow\"}", overflowResyncs, WAIT);
                prometheus.awaitValue("qeventd_resyncs_total{reason=\"connected\"}", connectResyncs, WAIT);
                prometheus.awaitValue("qeventd_event_latency_seconds_count{plugin=\"gate-work\"}", started, WAIT);

                // The fake QEMU drops the connection; the daemon reconnects.
                assertThat(qemu.disconnect()).isTrue();
                Eventually.await("the daemon reconnects", WAIT,
                        () -> daemon.domains().get("vm2").orElseThrow().monitor().stats().connects() == 2);
                prometheus.awaitValue("qeventd_monitor_disconnects_total{domain=\"vm2\"}", 1, WAIT);
                prometheus.awaitValue("qeventd_monitor_connects_total{domain=\"vm2\"}", 2, WAIT);
            }
        }
    }

    private static boolean is(JsonNode r, String plugin, String event, String outcome) {
        return plugin.equals(r.path("plugin").asText()) && event.equals(r.path("event").asText())
                && outcome.equals(r.path("outcome").asText());
    }

    private static long count(List<JsonNode> journal, Predicate<JsonNode> which) {
        return journal.stream().filter(which).count();
    }

    /** The daemon's /metrics as a scraper sees it. */
    static String scrape(InetSocketAddress metrics) {
        HttpRequest req = HttpRequest.newBuilder(
                URI.create("http://" + metrics.getHostString() + ":" + metrics.getPort() + "/metrics"))
                .timeout(Duration.ofSeconds(5)).GET().build();
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            return r.body();
        } catch (IOException e) {
            throw new AssertionError("cannot scrape " + metrics + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /**
     * Plugin {@code gate-work} 1.0.0: on the made-up event {@code WORK} ({@code {"seq": N, "gate": PATH}}) waits
     * until the file PATH exists, then reports {@code work N}; it has a resync hook, so an overflow owes it one.
     */
    private static Path gateWork(Path pluginsDir) {
        return PluginJarBuilder.create("gate-work").version("1.0.0").requires(">=0.1.0")
                .source("com.example.gatework.GateWorkHandlers", """
                        package com.example.gatework;

                        import io.qeventd.api.EventHandlers;
                        import io.qeventd.api.EventType;
                        import io.qeventd.api.Handler;
                        import java.nio.file.Files;
                        import java.nio.file.Path;
                        import java.util.List;
                        import org.pf4j.Extension;

                        @Extension
                        public class GateWorkHandlers implements EventHandlers {
                            public enum Type implements EventType { WORK }

                            public record Work(int seq, String gate) {}

                            @Override
                            public List<Handler<?>> handlers() {
                                return List.of(Handler.on("WORK", Work.class).type(Type.WORK)
                                        .resync((ctx, reason) -> ctx.report("resync " + reason))
                                        .process((ctx, e) -> {
                                            Path gate = Path.of(e.payload().gate());
                                            try {
                                                while (!Files.exists(gate)) {
                                                    Thread.sleep(5);
                                                }
                                            } catch (InterruptedException ie) {
                                                Thread.currentThread().interrupt();
                                                throw new IllegalStateException("interrupted at the gate");
                                            }
                                            ctx.report("work " + e.payload().seq());
                                        }));
                            }
                        }
                        """)
                .build(pluginsDir.resolve("gate-work.jar"));
    }
}
