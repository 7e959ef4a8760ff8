package io.qeventd.runtime.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.qeventd.runtime.journal.Journal;
import io.qeventd.runtime.journal.JournalRecord;
import io.qeventd.runtime.journal.JsonLinesJournal;
import io.qeventd.runtime.journal.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal's series: a file that cannot be written shows as write errors and waiting records. */
class MetricsJournalTest {
    private static final Path FULL = Path.of("/dev/full");

    @TempDir
    Path dir;

    @Test
    void aJournalFileThatCannotBeWrittenShowsAsWriteErrorsAndWaitingRecords() {
        PrometheusRegistry registry = new PrometheusRegistry();
        try (Journal journal = new Journal();
             JsonLinesJournal file = new JsonLinesJournal(FULL)) {
            journal.addSink(file);
            JournalMetrics.register(registry, journal, () -> file);

            journal.record(new JournalRecord(Instant.now(), "vm1", "STOP", null, null, null, null, Outcome.UNHANDLED,
                    null, null, null));
            assertThat(journal.flush(Duration.ofSeconds(10))).isTrue();

            Exposition e = Exposition.scrape(registry);
            assertThat(value(e, "qeventd_journal_write_errors_total")).isPositive();
            assertThat(value(e, "qeventd_journal_file_ok")).isZero();
            assertThat(value(e, "qeventd_journal_file_waiting_records")).isEqualTo(1);
            assertThat(value(e, "qeventd_journal_lost_records_total")).isZero();
            assertThat(value(e, "qeventd_journal_backlog_records")).isZero();
        }
    }

    @Test
    void aWritableJournalFileShowsNoErrors() {
        PrometheusRegistry registry = new PrometheusRegistry();
        try (Journal journal = new Journal();
             JsonLinesJournal file = new JsonLinesJournal(dir.resolve("journal.jsonl"))) {
            journal.addSink(file);
            JournalMetrics.register(registry, journal, () -> file);

            journal.record(new JournalRecord(Instant.now(), "vm1", "STOP", null, null, null, null, Outcome.UNHANDLED,
                    null, null, null));
            assertThat(journal.flush(Duration.ofSeconds(10))).isTrue();

            Exposition e = Exposition.scrape(registry);
            assertThat(value(e, "qeventd_journal_write_errors_total")).isZero();
            assertThat(value(e, "qeventd_journal_file_ok")).isEqualTo(1);
            assertThat(value(e, "qeventd_journal_file_waiting_records")).isZero();
            assertThat(Files.exists(dir.resolve("journal.jsonl"))).isTrue();
        }
    }

    private static double value(Exposition e, String name) {
        return e.named(name).stream().findFirst().orElseThrow(() -> new AssertionError("no " + name)).value();
    }
}
