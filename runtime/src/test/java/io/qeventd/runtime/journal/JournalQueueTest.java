package io.qeventd.runtime.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class JournalQueueTest {

    private static JournalRecord record(int n) {
        return new JournalRecord(Instant.now(), "vm1", "SEQ" + n, null, "p", "1", "T", Outcome.PROCESSED, 1L, 1L, null);
    }

    @Test
    void aStuckSinkNeverBlocksTheRecorderAndWhatDoesNotFitIsCountedAndAnnounced() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<JournalRecord> seen = new CopyOnWriteArrayList<>();
        try (Journal journal = new Journal(10)) {
            journal.addSink(r -> {
                seen.add(r);
                if (r.event().equals("SEQ0")) {
                    entered.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            });
            journal.record(record(0));
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
            for (int i = 1; i <= 100; i++) {
                journal.record(record(i)); // returns although the sink is stuck: 10 fit, 90 do not
            }
            assertThat(journal.backlog()).isEqualTo(10);
            assertThat(journal.lost()).isEqualTo(90);
            assertThat(journal.counts().get(Outcome.PROCESSED)).as("every outcome still counts").isEqualTo(101);
            release.countDown();
            assertThat(journal.flush(Duration.ofSeconds(10))).isTrue();
        }
        assertThat(seen).hasSize(12);
        assertThat(seen.subList(0, 11)).extracting(JournalRecord::event)
                .containsExactly("SEQ0", "SEQ1", "SEQ2", "SEQ3", "SEQ4", "SEQ5", "SEQ6", "SEQ7", "SEQ8", "SEQ9", "SEQ10");
        JournalRecord lost = seen.get(11);
        assertThat(lost.outcome()).isEqualTo(Outcome.LOST);
        assertThat(lost.event()).isEqualTo("journal/lost");
        assertThat(lost.error()).startsWith("90 journal record(s) lost");
    }

    @Test
    void flushWaitsForEveryEarlierRecordToReachEverySink() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (Journal journal = new Journal()) {
            journal.addSink(r -> seen.add(r.event()));
            for (int i = 0; i < 1000; i++) {
                journal.record(record(i));
            }
            assertThat(journal.flush(Duration.ofSeconds(10))).isTrue();
            assertThat(seen).hasSize(1000);
        }
    }

    @Test
    void aSinkThatThrowsDoesNotStopTheOthers() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (Journal journal = new Journal()) {
            journal.addSink(r -> {
                throw new IllegalStateException("broken sink");
            });
            journal.addSink(r -> seen.add(r.event()));
            journal.record(record(1));
            journal.record(record(2));
            assertThat(journal.flush(Duration.ofSeconds(10))).isTrue();
        }
        assertThat(seen).containsExactly("SEQ1", "SEQ2");
    }
}
