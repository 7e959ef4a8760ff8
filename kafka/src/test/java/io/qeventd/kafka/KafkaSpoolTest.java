package io.qeventd.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spool on disk: order across segments, what a reopen resends, a torn tail, the size bound, one owner. */
class KafkaSpoolTest {
    private static final long MIB = 1 << 20;

    @TempDir
    Path dir;

    @Test
    void linesAreReadInTheOrderTheyWereAppendedAcrossSegments() throws IOException {
        try (Spool s = Spool.open(dir, MIB)) {
            for (int i = 0; i < 2000; i++) {
                assertThat(s.append(line(i))).isTrue();
            }
            s.flush();
            assertThat(segments()).as("segments of an eighth of the size, at least 64 KiB").hasSizeGreaterThan(1);
            try (Spool.Reader r = s.reader()) {
                assertThat(texts(readAll(r))).isEqualTo(expected(0, 2000));
            }
        }
    }

    @Test
    void nothingIsReadBeforeItIsFlushed() throws IOException {
        try (Spool s = Spool.open(dir, MIB); Spool.Reader r = s.reader()) {
            s.append(line(0));
            assertThat(r.read(MIB)).isEmpty();
            s.flush();
            assertThat(texts(r.read(MIB))).containsExactly(text(0));
        }
    }

    @Test
    void aReopenedSpoolResendsFromTheLastPersistedCommitAndDropsAcknowledgedSegments() throws IOException {
        try (Spool s = Spool.open(dir, MIB)) {
            for (int i = 0; i < 2000; i++) {
                s.append(line(i));
            }
            s.flush();
            try (Spool.Reader r = s.reader()) {
                List<Spool.Line> lines = readAll(r);
                s.commit(lines.get(1499).end());
            }
            s.persistCommitted();
        }
        assertThat(segments()).as("segments wholly acknowledged are deleted").hasSizeLessThan(4);
        try (Spool s = Spool.open(dir, MIB); Spool.Reader r = s.reader()) {
            assertThat(texts(readAll(r))).isEqualTo(expected(1500, 2000));
            s.append(line(2000));
            s.flush();
            assertThat(texts(r.read(MIB))).containsExactly(text(2000));
        }
    }

    @Test
    void aLineTornByACrashIsCutOffOnReopen() throws IOException {
        try (Spool s = Spool.open(dir, MIB)) {
            s.append(line(0));
            s.append(line(1));
        }
        Path last = segments().get(segments().size() - 1);
        Files.writeString(last, "{\"torn\":", StandardOpenOption.APPEND);
        try (Spool s = Spool.open(dir, MIB); Spool.Reader r = s.reader()) {
            s.append(line(2));
            s.flush();
            assertThat(texts(readAll(r))).containsExactly(text(0), text(1), text(2));
        }
    }

    @Test
    void aFullSpoolRefusesLinesUntilAcknowledgedSegmentsAreDeleted() throws IOException {
        try (Spool s = Spool.open(dir, MIB)) {
            int kept = 0;
            while (s.append(line(kept))) {
                kept++;
            }
            s.flush();
            assertThat(s.usage()).isLessThanOrEqualTo(MIB);
            assertThat(Spool.pendingBytes(dir)).isEqualTo(s.usage());
            assertThat(s.append(line(kept))).isFalse();
            try (Spool.Reader r = s.reader()) {
                List<Spool.Line> lines = readAll(r);
                assertThat(lines).hasSize(kept);
                s.commit(lines.get(kept / 2).end());
            }
            assertThat(s.append(line(kept))).as("room once half is acknowledged").isTrue();
        }
    }

    @Test
    void aSpoolHasOneOwner() throws IOException {
        Spool owner = Spool.open(dir, MIB);
        assertThatThrownBy(() -> Spool.open(dir, MIB)).isInstanceOf(IOException.class)
                .hasMessageContaining("in use");
        owner.close();
        Spool.open(dir, MIB).close();
    }

    private static byte[] line(int i) {
        return text(i).getBytes(StandardCharsets.UTF_8);
    }

    private static String text(int i) {
        return "{\"n\":" + i + ",\"pad\":\"" + "x".repeat(300) + "\"}";
    }

    private static List<String> expected(int from, int to) {
        List<String> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(text(i));
        }
        return out;
    }

    private static List<Spool.Line> readAll(Spool.Reader r) throws IOException {
        List<Spool.Line> all = new ArrayList<>();
        while (true) {
            List<Spool.Line> some = r.read(100_000);
            if (some.isEmpty()) {
                return all;
            }
            all.addAll(some);
        }
    }

    private static List<String> texts(List<Spool.Line> lines) {
        return lines.stream().map(l -> new String(l.bytes(), StandardCharsets.UTF_8)).toList();
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".jsonl")).sorted().toList();
        }
    }
}
