package io.qeventd.runtime.metrics;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.qeventd.runtime.journal.Journal;
import io.qeventd.runtime.journal.JournalHealth;
import io.qeventd.runtime.journal.JsonLinesJournal;
import java.util.function.Supplier;

/** The journal's queue and file, sampled at scrape time from what they count anyway. */
final class JournalMetrics {
    private JournalMetrics() {
    }

    /** @param file the journal file, or null while there is none */
    static void register(PrometheusRegistry registry, Journal journal, Supplier<JsonLinesJournal> file) {
        GaugeWithCallback.builder()
                .name("qeventd_journal_backlog_records")
                .help("Records queued for the journal's sinks (the file, status counters, forwarding)")
                .callback(cb -> cb.call(journal.backlog()))
                .register(registry);
        GaugeWithCallback.builder()
                .name("qeventd_journal_capacity_records")
                .help("Records the journal's queue holds at most; beyond it records are lost")
                .callback(cb -> cb.call(journal.capacity()))
                .register(registry);
        CounterWithCallback.builder()
                .name("qeventd_journal_lost_records_total")
                .help("Journal records lost: the journal's queue was full, or the file could not be written for"
                        + " too long (their outcomes still count here and in status)")
                .callback(cb -> {
                    JsonLinesJournal f = file.get();
                    cb.call(journal.lost() + (f == null ? 0 : f.health().lost()));
                })
                .register(registry);
        CounterWithCallback.builder()
                .name("qeventd_journal_write_errors_total")
                .help("Failed writes of the journal file (each retry counts)")
                .callback(cb -> {
                    JsonLinesJournal f = file.get();
                    if (f != null) {
                        cb.call(f.writeErrors());
                    }
                })
                .register(registry);
        GaugeWithCallback.builder()
                .name("qeventd_journal_file_ok")
                .help("1 while records reach the journal file, 0 while it cannot be written")
                .callback(cb -> {
                    JsonLinesJournal f = file.get();
                    if (f != null) {
                        cb.call(f.health().ok() ? 1 : 0);
                    }
                })
                .register(registry);
        GaugeWithCallback.builder()
                .name("qeventd_journal_file_waiting_records")
                .help("Records held in memory until the journal file can be written again")
                .callback(cb -> {
                    JsonLinesJournal f = file.get();
                    if (f != null) {
                        JournalHealth h = f.health();
                        cb.call(h.waiting());
                    }
                })
                .register(registry);
    }
}
