package io.qeventd.runtime.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.qeventd.api.QemuTimestamp;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The journal's fast spellings of times write exactly what the JDK's formatters write. */
class JournalJsonTest {

    @Test
    void timesAreWrittenAsIsoInstantWritesThem() {
        SplittableRandom random = new SplittableRandom(7);
        Instant base = Instant.parse("2026-12-02T10:00:00Z");
        for (int i = 0; i < 100_000; i++) {
            long second = base.getEpochSecond() + random.nextInt(5); // many to a second, as in a flood
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant t = Instant.ofEpochSecond(second, nanos);
            assertThat(JournalJson.isoInstant(t)).isEqualTo(DateTimeFormatter.ISO_INSTANT.format(t));
        }
        for (Instant t : new Instant[] {Instant.EPOCH, Instant.ofEpochSecond(-1, 5), Instant.parse("9999-12-31T23:59:59.5Z"),
            Instant.parse("+10000-01-01T00:00:00Z"), Instant.ofEpochSecond(0, 1)}) {
            assertThat(JournalJson.isoInstant(t)).isEqualTo(DateTimeFormatter.ISO_INSTANT.format(t));
        }
    }

    @Test
    void qemuTimesAreSecondsAndSixDigitsOfMicroseconds() {
        for (long micros : new long[] {0, 7, 42, 999_999, 100_000, 626_127}) {
            QemuTimestamp ts = new QemuTimestamp(1_795_638_841L, micros);
            assertThat(JournalJson.qemuTime(ts.seconds(), ts.microseconds())).isEqualTo(ts.toString());
        }
    }
}
