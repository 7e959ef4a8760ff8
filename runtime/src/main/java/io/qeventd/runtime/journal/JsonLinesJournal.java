package io.qeventd.runtime.journal;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal file: one JSON object per line. A sink of {@link Journal}, so it is called on the journal's
 * dispatch thread only: no reader or worker ever waits on the disk. Fields, in this order: time, domain,
 * event, qemuTime, plugin, pluginVersion, type, outcome, latencyMicros, processingMicros, error, then actions
 * (what the processor reported doing, an array).
 *
 * <p>Records are written whole or not at all: they are serialised into memory and written in batches of whole
 * lines; a batch the disk refuses part-way (a full disk) is cut back off the file. On opening, a torn last line
 * (left by a crash or a power cut) is moved aside into {@code FILE.torn-MILLIS} and reported, never appended
 * to. While the file cannot be written the journal is in an error state (see {@link #health()}, logged once a
 * minute); records wait in memory up to a bound, then are counted as lost, and a summary record says so when
 * writing works again.
 */
public final class JsonLinesJournal implements JournalSink, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(JsonLinesJournal.class);
    private static final JsonFactory JSON = new JsonFactory();
    /** A batch is written once it is this large, even while the dispatcher has more to deliver. */
    private static final int BATCH_BYTES = 64 * 1024;
    /** Memory records may take while the file cannot be written. */
    static final int MAX_WAITING_BYTES = 8 * 1024 * 1024;
    private static final long RETRY_NANOS = Duration.ofSeconds(1).toNanos();
    private static final long SYNC_INTERVAL_NANOS = Duration.ofSeconds(1).toNanos();
    private static final long ERROR_LOG_NANOS = Duration.ofMinutes(1).toNanos();
    /** How far back a torn tail is looked for; a longer "line" is moved aside whole from there. */
    private static final int MAX_TAIL_SCAN = 16 * 1024 * 1024;

    private final Path file;
    private final JournalSync sync;
    /** Rotation by size, or null. */
    private final JournalRotation rotation;
    private CompletableFuture<Void> compressing = CompletableFuture.completedFuture(null);
    private long rotations;
    private final Lines pending = new Lines();
    private final JsonGenerator lines;
    private FileChannel channel;
    /** File size after the last batch that was written whole. */
    private long goodSize;
    private long pendingRecords;
    private long pendingOutcomes;
    private long written;
    private long outcomesWritten;
    private long lost;
    private long lostUnannounced;
    private long writeErrors;
    private String error;
    private Instant errorSince;
    private long lastRetry;
    private long lastErrorLog;
    private long lastSync = System.nanoTime();
    private boolean closed;

    /** The in-memory batch, whose bytes are written without a copy. */
    private static final class Lines extends ByteArrayOutputStream {
        Lines() {
            super(BATCH_BYTES * 2);
        }

        ByteBuffer view() {
            return ByteBuffer.wrap(buf, 0, count);
        }
    }

    public JsonLinesJournal(Path file) {
        this(file, JournalSync.NEVER);
    }

    public JsonLinesJournal(Path file, JournalSync sync) {
        this(file, sync, null);
    }

    /** A journal file rotated by {@code rotation}; null for none. */
    public JsonLinesJournal(Path file, JournalSync sync, JournalRotation rotation) {
        this.file = file;
        this.sync = sync;
        this.rotation = rotation;
        try {
            this.lines = JSON.createGenerator(pending, JsonEncoding.UTF8);
            lines.setRootValueSeparator(null);
            lines.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open journal " + file + ": " + e.getMessage(), e);
        }
    }

    public Path file() {
        return file;
    }

    private void open() throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (Files.isDirectory(file)) {
            throw new IOException("it is a directory");
        }
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
        try {
            goodSize = channel.size();
            moveTornTailAside();
            channel.position(goodSize);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
    }

    /** A last line without its newline is a fragment of a record: it goes to a file of its own. */
    private void moveTornTailAside() throws IOException {
        if (goodSize == 0 || lastByteAt(goodSize - 1) == '\n') {
            return;
        }
        long start = Math.max(0, goodSize - MAX_TAIL_SCAN);
        ByteBuffer tail = ByteBuffer.allocate((int) (goodSize - start));
        channel.read(tail, start);
        byte[] b = tail.array();
        int cut = b.length;
        while (cut > 0 && b[cut - 1] != '\n') {
            cut--;
        }
        long tornAt = start + cut;
        Path aside = file.resolveSibling(file.getFileName() + ".torn-" + System.currentTimeMillis());
        Files.write(aside, java.util.Arrays.copyOfRange(b, cut, b.length));
        channel.truncate(tornAt);
        long torn = goodSize - tornAt;
        goodSize = tornAt;
        String what = "journal " + file + ": its last line was torn (" + torn + " bytes without a newline, left by"
                + " a crash or power cut); moved to " + aside + " and not appended to";
        log.warn("{}", what);
        record(new JournalRecord(Instant.now(), null, "journal/torn-tail", null, null, null, null, Outcome.LOST, null,
                null, what));
    }

    private byte lastByteAt(long pos) throws IOException {
        ByteBuffer one = ByteBuffer.allocate(1);
        channel.read(one, pos);
        return one.get(0);
    }

    @Override
    public synchronized void record(JournalRecord record) {
        if (closed) {
            return;
        }
        try {
            JournalJson.write(lines, record, false);
            lines.flush();
            pending.write('\n');
            pendingRecords++;
            if (record.outcome() != Outcome.LOST) {
                pendingOutcomes++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // into memory: cannot happen
        }
        if (error == null && pending.size() >= BATCH_BYTES) {
            writePending();
        } else if (error != null && pending.size() > MAX_WAITING_BYTES) {
            giveUpWaiting();
        }
    }

    /** Writes what is waiting (the dispatcher has caught up), forcing it to the disk as the sync policy says. */
    @Override
    public synchronized void flush() {
        if (!closed) {
            writePending();
        }
    }

    /**
     * Closes and opens the file again: after logrotate moved it away (SIGHUP), the journal goes on in a new file
     * of the same name. Waiting records go to the old file first.
     */
    public synchronized void reopen() {
        if (closed) {
            return;
        }
        writePending();
        try {
            channel.close();
        } catch (IOException e) {
            log.warn("journal {}: closing before reopening: {}", file, e.getMessage());
        }
        try {
            open();
            log.info("journal {}: reopened", file);
        } catch (IOException e) {
            failed(new IOException("cannot reopen: " + e.getMessage(), e));
        }
    }

    public synchronized JournalHealth health() {
        return new JournalHealth(file.toString(), error == null, error, errorSince, pendingRecords, lost, written,
                outcomesWritten);
    }

    /** Writes (or reopenings) of the file that failed since start; each retry counts. */
    public synchronized long writeErrors() {
        return writeErrors;
    }

    private void writePending() {
        if (pending.size() == 0 && lostUnannounced == 0) {
            return;
        }
        long now = System.nanoTime();
        if (error != null) {
            if (now - lastRetry < RETRY_NANOS) {
                return;
            }
            lastRetry = now;
            if (!channel.isOpen()) {
                try {
                    open();
                } catch (IOException e) {
                    failed(e);
                    return;
                }
            }
        }
        try {
            if (error != null || lostUnannounced > 0) {
                announceRecovery();
            }
            ByteBuffer b = pending.view();
            while (b.hasRemaining()) {
                channel.write(b);
            }
            goodSize += pending.size();
            written += pendingRecords;
            outcomesWritten += pendingOutcomes;
            pending.reset();
            pendingRecords = 0;
            pendingOutcomes = 0;
            if (sync == JournalSync.ALWAYS || sync == JournalSync.INTERVAL && now - lastSync >= SYNC_INTERVAL_NANOS) {
                channel.force(false);
                lastSync = now;
            }
            recovered();
        } catch (IOException e) {
            cutBack();
            failed(e);
            return;
        }
        if (rotation != null && goodSize >= rotation.maxSize()) {
            rotate();
        }
    }

    /**
     * Rotation happens between whole batches, so no line is split across two files. When it fails (the
     * directory cannot be written) the journal goes on in the same file and says so.
     */
    private void rotate() {
        try {
            if (sync != JournalSync.NEVER) {
                channel.force(false);
            }
            channel.close();
        } catch (IOException e) {
            log.warn("journal {}: closing before rotating: {}", file, e.getMessage());
        }
        try {
            compressing = rotation.rotate(file, compressing);
            rotations++;
        } catch (IOException | RuntimeException e) {
            log.error("journal {}: cannot rotate ({}); going on in the same file", file, e.toString());
        }
        try {
            open();
        } catch (IOException e) {
            failed(new IOException("cannot open after rotating: " + e.getMessage(), e));
        }
    }

    /** How many times the file has been rotated. */
    public synchronized long rotations() {
        return rotations;
    }

    /** Records given up while the file failed are announced in the file itself, first thing when it works. */
    private void announceRecovery() throws IOException {
        if (lostUnannounced == 0) {
            return;
        }
        String what = lostUnannounced + " journal record(s) lost: the file could not be written"
                + (error == null ? "" : " (" + error + ")") + " since " + errorSince + " and they no longer fit in"
                + " memory; " + lost + " lost since start";
        Lines summary = new Lines();
        try (JsonGenerator g = JSON.createGenerator(summary, JsonEncoding.UTF8)) {
            JournalJson.write(g, new JournalRecord(Instant.now(), null, "journal/lost", null, null, null, null,
                    Outcome.LOST, null, null, what), false);
        }
        summary.write('\n');
        ByteBuffer b = summary.view();
        while (b.hasRemaining()) {
            channel.write(b);
        }
        goodSize += summary.size();
        lostUnannounced = 0;
        log.warn("{}", what);
    }

    private void recovered() {
        if (error != null) {
            log.warn("journal {}: writing again after failing since {} ({})", file, errorSince, error);
            error = null;
            errorSince = null;
        }
    }

    /** A batch the disk took only part of is cut off again, so the file holds whole lines only. */
    private void cutBack() {
        try {
            if (channel.isOpen() && channel.size() > goodSize) {
                channel.truncate(goodSize);
            }
            if (channel.isOpen()) {
                channel.position(goodSize);
            }
        } catch (IOException e) {
            log.debug("journal {}: cannot cut back to {} bytes: {}", file, goodSize, e.getMessage());
        }
    }

    private void failed(IOException e) {
        writeErrors++;
        long now = System.nanoTime();
        String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (error == null) {
            errorSince = Instant.now();
            lastRetry = now;
            lastErrorLog = now;
            log.error("journal {}: cannot write ({}); records wait in memory (up to {} MiB) and are retried every"
                    + " second", file, why, MAX_WAITING_BYTES / (1024 * 1024));
        } else if (now - lastErrorLog >= ERROR_LOG_NANOS) {
            lastErrorLog = now;
            log.error("journal {}: still cannot write since {} ({}); {} record(s) waiting, {} lost", file, errorSince,
                    why, pendingRecords, lost);
        }
        error = why;
    }

    private void giveUpWaiting() {
        lost += pendingRecords;
        lostUnannounced += pendingRecords;
        pending.reset();
        pendingRecords = 0;
        pendingOutcomes = 0;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        writePending();
        if (pendingRecords > 0) {
            log.error("journal {}: closed with {} record(s) that could not be written ({})", file, pendingRecords,
                    error);
            lost += pendingRecords;
            pendingRecords = 0;
            pendingOutcomes = 0;
        }
        closed = true;
        try {
            compressing.join();
            lines.close();
            if (sync != JournalSync.NEVER && channel.isOpen()) {
                channel.force(false);
            }
            channel.close();
        } catch (IOException e) {
            log.warn("closing journal {}: {}", file, e.getMessage());
        }
    }

    /** The record as one line of JSON, fields in the journal's fixed order. */
    public static String toJson(JournalRecord r) {
        return JournalJson.toJson(r, false);
    }
}
