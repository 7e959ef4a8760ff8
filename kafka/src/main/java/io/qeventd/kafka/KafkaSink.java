package io.qeventd.kafka;

import io.qeventd.runtime.journal.JournalRecord;
import io.qeventd.runtime.journal.JournalSink;
import io.qeventd.runtime.journal.Outcome;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal sink that forwards to Kafka: on the journal's dispatch thread it only appends each record to the
 * spool (a buffered file write, never the network); {@link KafkaSender} takes it from there.
 *
 * <p>When the spool is full, records are dropped and counted; the log says so at once and then at most every
 * {@value #DROP_LOG_SECONDS} s. Once the sender has freed room (a segment's worth), a {@code kafka/dropped}
 * summary record saying how many were dropped goes into the spool before any later record, so the stream
 * shows where the gap is.
 */
final class KafkaSink implements JournalSink {
    static final String DROPPED_EVENT = "kafka/dropped";
    private static final Logger log = LoggerFactory.getLogger(KafkaSink.class);
    private static final long DROP_LOG_SECONDS = 10;
    private static final Duration STOP_DRAIN = Duration.ofSeconds(2);

    private final String host;
    private final Path dir;
    private final Spool spool;
    private final KafkaSender sender;
    private final AtomicLong droppedTotal = new AtomicLong();
    private long droppedPending;
    private long droppedLogged;
    private long lastDropLog;
    private boolean closed;

    KafkaSink(String host, Path dir, Spool spool, KafkaSender sender) {
        this.host = host;
        this.dir = dir;
        this.spool = spool;
        this.sender = sender;
    }

    @Override
    public void record(JournalRecord record) {
        if (closed) {
            return;
        }
        if (droppedPending > 0 && !announceDropped()) {
            dropped(1);
            return;
        }
        append(ForwardedRecord.of(record, host).value());
    }

    @Override
    public void flush() {
        if (closed) {
            return;
        }
        if (droppedPending > 0) {
            announceDropped();
        }
        try {
            spool.flush();
        } catch (Spool.WriteException e) {
            writeFailed(e);
        }
    }

    /** Records dropped since start because the spool was full or could not be written. */
    long dropped() {
        return droppedTotal.get();
    }

    KafkaSender sender() {
        return sender;
    }

    private void append(byte[] value) {
        try {
            if (!spool.append(value)) {
                dropped(1);
            }
        } catch (Spool.WriteException e) {
            writeFailed(e);
        }
    }

    private void writeFailed(Spool.WriteException e) {
        log.error("kafka spool: {}; {} record(s) lost", e.getMessage(), e.lost());
        if (e.lost() > 0) {
            dropped(e.lost());
        }
    }

    private void dropped(long n) {
        boolean first = droppedPending == 0;
        droppedPending += n;
        droppedTotal.addAndGet(n);
        long now = System.nanoTime();
        if (first || now - lastDropLog >= TimeUnit.SECONDS.toNanos(DROP_LOG_SECONDS)) {
            long since = droppedTotal.get() - droppedLogged;
            droppedLogged = droppedTotal.get();
            lastDropLog = now;
            log.warn("kafka spool {} is full ({} bytes): {} record(s) dropped since the last message, {} since"
                    + " start; forwarding resumes once the broker takes what waits", dir, spool.maxSize(), since,
                    droppedTotal.get());
        }
    }

    /**
     * Appends the summary of what was dropped once there is room again (for it and a segment's worth more, so
     * that forwarding does not flap at the brim); false while there is not.
     */
    private boolean announceDropped() {
        long n = droppedPending;
        String what = n + " record(s) not forwarded: the spool " + dir + " was full (" + spool.maxSize()
                + " bytes) while the broker did not take records; " + droppedTotal.get() + " since start";
        JournalRecord summary = new JournalRecord(Instant.now(), null, DROPPED_EVENT, null, null, null, null,
                Outcome.LOST, null, null, what);
        byte[] value = ForwardedRecord.of(summary, host, n).value();
        if (!spool.hasRoomFor(value.length + 1L + spool.maxSize() / 8)) {
            return false;
        }
        droppedPending = 0;
        log.warn("kafka: {}", what);
        append(value);
        return droppedPending == 0;
    }

    /** The journal delivered its last record: write the spool out, give the sender a moment to send, stop. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            spool.flush();
        } catch (Spool.WriteException e) {
            writeFailed(e);
        }
        sender.stop(STOP_DRAIN);
        try {
            spool.close();
        } catch (IOException e) {
            log.warn("kafka spool: closing {}: {}", dir, e.toString());
        }
        long left = spool.published() - spool.committed();
        if (left > 0) {
            log.info("kafka: {} byte(s) of records wait in {} for the next start", left, dir);
        }
    }

    /** Spool and sender, for {@code qeventd status}: bytes waiting, records sent, dropped, and why sending fails. */
    @Override
    public Map<String, Object> status() {
        Map<String, Object> m = new LinkedHashMap<>();
        String failing = sender.failingBecause();
        m.put("state", failing == null ? "sending" : "broker unreachable");
        m.put("waitingBytes", spool.published() - spool.committed());
        m.put("sent", sender.acknowledged());
        m.put("dropped", droppedTotal.get());
        m.put("tooLarge", sender.tooLarge());
        if (failing != null) {
            m.put("error", failing);
        }
        return m;
    }

    @Override
    public String toString() {
        return "kafka forwarding (spool " + dir + ")";
    }
}
