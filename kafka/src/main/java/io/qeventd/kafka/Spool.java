package io.qeventd.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The forwarder's queue on disk: every record, one JSON line each, in segment files named after the offset
 * (bytes since the spool began) of their first line, and a {@value #COMMITTED} file with the offset up to
 * which the broker has acknowledged. A segment whose lines are all acknowledged is deleted.
 *
 * <p>One writer (the journal's dispatch thread) appends through a buffer and publishes what it wrote at each
 * {@link #flush()}; one reader (the sender thread) reads published lines in order and {@link #commit commits}
 * what the broker acknowledged. After a crash the spool reopens at the last persisted commit: what was sent
 * after it is sent again, nothing before it is lost. A line torn by the crash is cut off.
 *
 * <p>The spool holds at most {@code maxSize} bytes on disk (acknowledged lines of a segment still in use
 * count until it is deleted): {@link #append} refuses a line beyond that.
 */
final class Spool implements AutoCloseable {
    static final String COMMITTED = "committed";
    static final String LOCK = "lock";
    private static final Logger log = LoggerFactory.getLogger(Spool.class);
    private static final Pattern SEGMENT = Pattern.compile("(\\d{20})\\.jsonl");
    private static final long SYNC_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final int BUFFER_LIMIT = 64 << 10;
    private static final long MIN_SEGMENT = 64 << 10;
    private static final long MAX_SEGMENT = 64L << 20;

    private final Path dir;
    private final long maxSize;
    private final long segmentSize;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final ConcurrentSkipListMap<Long, Path> segments = new ConcurrentSkipListMap<>();
    private volatile Runnable onPublish = () -> { };

    // The writer's (journal dispatch thread's).
    private FileChannel out;
    private long outStart;
    private long written;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(BUFFER_LIMIT + 4096);
    private int bufferedLines;
    private boolean unsynced;
    private long lastSync = System.nanoTime();

    private volatile long published;
    private volatile long committed;
    // The reader's (sender thread's).
    private long persisted;

    /** A line written by the writer: its bytes (no line end) and the offset just past it. */
    record Line(byte[] bytes, long end) {
    }

    /** A write to the spool failed: the records it held in memory are gone, {@link #lost()} of them. */
    static final class WriteException extends IOException {
        private final int lost;

        WriteException(String message, int lost, IOException cause) {
            super(message, cause);
            this.lost = lost;
        }

        int lost() {
            return lost;
        }
    }

    private Spool(Path dir, long maxSize, FileChannel lockChannel, FileLock lock) {
        this.dir = dir;
        this.maxSize = maxSize;
        this.segmentSize = Math.max(MIN_SEGMENT, Math.min(MAX_SEGMENT, maxSize / 8));
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Opens (or creates) the spool in {@code dir}, holding it for this process alone.
     *
     * @throws IOException when the directory cannot be used, or another process holds it
     */
    static Spool open(Path dir, long maxSize) throws IOException {
        Files.createDirectories(dir);
        FileChannel lockChannel = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException | RuntimeException e) {
            lockChannel.close();
            throw e;
        }
        if (lock == null) {
            lockChannel.close();
            throw new IOException(dir + " is in use by another process");
        }
        Spool s = new Spool(dir, maxSize, lockChannel, lock);
        try {
            s.recover();
        } catch (IOException | RuntimeException e) {
            s.releaseLock();
            throw e;
        }
        return s;
    }

    private void recover() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            files.forEach(f -> {
                Matcher m = SEGMENT.matcher(f.getFileName().toString());
                if (m.matches()) {
                    segments.put(Long.parseLong(m.group(1)), f);
                }
            });
        }
        long c = readCommitted(dir);
        if (segments.isEmpty()) {
            long start = Math.max(c, 0);
            segments.put(start, Files.createFile(segmentPath(start)));
        }
        Map.Entry<Long, Path> last = segments.lastEntry();
        long torn = cutTornTail(last.getValue());
        if (torn > 0) {
            log.warn("kafka spool: cut {} byte(s) of a line torn at the end of {}", torn, last.getValue());
        }
        long end = last.getKey() + Files.size(last.getValue());
        long first = segments.firstKey();
        committed = c < first ? first : Math.min(c, end);
        persisted = committed;
        deleteAcknowledgedSegments();
        written = end;
        published = end;
        outStart = last.getKey();
        out = FileChannel.open(last.getValue(), StandardOpenOption.WRITE);
        out.position(out.size());
        if (end > committed) {
            log.info("kafka spool {}: {} byte(s) not yet acknowledged by the broker are sent first", dir,
                    end - committed);
        }
    }

    /** Cuts a segment after its last line end; returns how many bytes were cut. */
    private static long cutTornTail(Path segment) throws IOException {
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = ch.size();
            long pos = size;
            ByteBuffer b = ByteBuffer.allocate(8192);
            while (pos > 0) {
                int n = (int) Math.min(b.capacity(), pos);
                b.clear().limit(n);
                long from = pos - n;
                while (b.hasRemaining()) {
                    if (ch.read(b, from + b.position()) < 0) {
                        break;
                    }
                }
                for (int i = n - 1; i >= 0; i--) {
                    if (b.get(i) == '\n') {
                        long keep = from + i + 1;
                        if (keep < size) {
                            ch.truncate(keep);
                        }
                        return size - keep;
                    }
                }
                pos = from;
            }
            if (size > 0) {
                ch.truncate(0);
            }
            return size;
        }
    }

    /** Publishes to {@code r} (the sender's wake-up) whenever new lines become readable. */
    void onPublish(Runnable r) {
        this.onPublish = r;
    }

    // ---- the writer's side (one thread) ----

    /**
     * Appends one line (without its line end).
     *
     * @return false when the spool is full: the line is not kept
     * @throws WriteException when writing failed; the lines in memory (this one included) are gone
     */
    boolean append(byte[] line) throws WriteException {
        long need = line.length + 1L;
        if (!hasRoomFor(need)) {
            return false;
        }
        if (written > outStart && written - outStart + need > segmentSize) {
            try {
                roll();
            } catch (WriteException e) {
                throw new WriteException(e.getMessage(), e.lost() + 1, (IOException) e.getCause());
            }
        }
        buffer.write(line, 0, line.length);
        buffer.write('\n');
        bufferedLines++;
        written += need;
        if (buffer.size() >= BUFFER_LIMIT) {
            drain();
        }
        return true;
    }

    /** Whether {@code bytes} more would fit. */
    boolean hasRoomFor(long bytes) {
        return written - segments.firstKey() + bytes <= maxSize;
    }

    /** The bytes the spool may hold. */
    long maxSize() {
        return maxSize;
    }

    /** Bytes on disk or about to be (acknowledged lines of a live segment included). */
    long usage() {
        return written - segments.firstKey();
    }

    /** Writes what is buffered so that the sender can read it; forces it to the disk at most once a second. */
    void flush() throws WriteException {
        drain();
        if (unsynced && System.nanoTime() - lastSync >= SYNC_INTERVAL_NANOS) {
            sync();
        }
    }

    private void drain() throws WriteException {
        if (buffer.size() == 0) {
            return;
        }
        ByteBuffer b = ByteBuffer.wrap(buffer.toByteArray());
        try {
            while (b.hasRemaining()) {
                out.write(b);
            }
        } catch (IOException e) {
            int lost = bufferedLines;
            discardBuffer();
            try {
                out.truncate(published - outStart);
                out.position(published - outStart);
            } catch (IOException ignored) {
                // the next write fails too and says so
            }
            throw new WriteException("cannot write to " + segmentPath(outStart) + ": " + e.getMessage(), lost, e);
        }
        buffer.reset();
        bufferedLines = 0;
        unsynced = true;
        published = written;
        onPublish.run();
    }

    private void discardBuffer() {
        buffer.reset();
        bufferedLines = 0;
        written = published;
    }

    private void sync() throws WriteException {
        try {
            out.force(false);
            unsynced = false;
            lastSync = System.nanoTime();
        } catch (IOException e) {
            throw new WriteException("cannot force " + segmentPath(outStart) + " to the disk: " + e.getMessage(), 0, e);
        }
    }

    private void roll() throws WriteException {
        drain();
        sync();
        Path next = segmentPath(written);
        try {
            FileChannel ch = FileChannel.open(next, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            out.close();
            out = ch;
            outStart = written;
            segments.put(written, next);
        } catch (IOException e) {
            throw new WriteException("cannot create " + next + ": " + e.getMessage(), 0, e);
        }
    }

    // ---- the reader's side (one thread) ----

    /** The offset up to which lines can be read. */
    long published() {
        return published;
    }

    /** The offset up to which the broker has acknowledged. */
    long committed() {
        return committed;
    }

    /** A reader from the last acknowledged line on. */
    Reader reader() {
        return new Reader(committed);
    }

    /** The broker has every line up to {@code offset}: segments wholly before it go. */
    void commit(long offset) {
        if (offset > committed) {
            committed = offset;
            deleteAcknowledgedSegments();
        }
    }

    /** Writes the committed offset to its file, when it moved since the last time. */
    void persistCommitted() throws IOException {
        long c = committed;
        if (c == persisted) {
            return;
        }
        Path tmp = dir.resolve(COMMITTED + ".tmp");
        Files.writeString(tmp, c + "\n", StandardCharsets.US_ASCII);
        try {
            Files.move(tmp, dir.resolve(COMMITTED), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, dir.resolve(COMMITTED), StandardCopyOption.REPLACE_EXISTING);
        }
        persisted = c;
    }

    private void deleteAcknowledgedSegments() {
        while (true) {
            Map.Entry<Long, Path> first = segments.firstEntry();
            Long next = segments.higherKey(first.getKey());
            if (next == null || next > committed) {
                return;
            }
            try {
                Files.deleteIfExists(first.getValue());
            } catch (IOException e) {
                log.warn("kafka spool: cannot delete {} (sent and acknowledged): {}", first.getValue(),
                        e.getMessage());
            }
            segments.remove(first.getKey());
        }
    }

    /** Reads published lines in order from an offset. */
    final class Reader implements AutoCloseable {
        private long position;
        private long channelStart = -1;
        private FileChannel channel;
        private int chunk = 256 << 10;

        private Reader(long position) {
            this.position = position;
        }

        long position() {
            return position;
        }

        /** Reads from {@code offset} next (a line start: one that {@link Line#end()} or a commit named). */
        void seek(long offset) {
            position = offset;
        }

        /** Whole lines from the position on, about {@code maxBytes} of them (at least one, when any). */
        List<Line> read(long maxBytes) throws IOException {
            List<Line> lines = new ArrayList<>();
            long end = published;
            long taken = 0;
            while (position < end && taken < maxBytes) {
                Map.Entry<Long, Path> seg = segments.floorEntry(position);
                if (seg == null) {
                    // Deleted under a stale position: what remains starts at the first segment.
                    position = segments.firstKey();
                    continue;
                }
                Long next = segments.higherKey(seg.getKey());
                long segEnd = next == null ? end : Math.min(next, end);
                if (position >= segEnd) {
                    if (next == null) {
                        break;
                    }
                    position = next;
                    continue;
                }
                open(seg.getKey(), seg.getValue());
                long want = Math.min(segEnd - position, chunk);
                ByteBuffer b = ByteBuffer.allocate((int) want);
                long from = position - seg.getKey();
                while (b.hasRemaining()) {
                    if (channel.read(b, from + b.position()) < 0) {
                        break;
                    }
                }
                if (b.position() < want) {
                    // A segment shorter than its successor's offset says (cut by hand): go on with the next.
                    if (next != null && b.position() == 0) {
                        position = next;
                        continue;
                    }
                }
                byte[] bytes = b.array();
                int n = b.position();
                int lineStart = 0;
                for (int i = 0; i < n; i++) {
                    if (bytes[i] == '\n') {
                        byte[] line = new byte[i - lineStart];
                        System.arraycopy(bytes, lineStart, line, 0, line.length);
                        lines.add(new Line(line, position + i + 1));
                        taken += i + 1 - lineStart;
                        lineStart = i + 1;
                    }
                }
                if (lineStart == 0) {
                    if (want < segEnd - position) {
                        chunk = (int) Math.min(Integer.MAX_VALUE - 8L, (long) chunk * 2);
                        continue;
                    }
                    throw new IOException("no line end in " + seg.getValue() + " from offset " + from);
                }
                position += lineStart;
            }
            return lines;
        }

        private void open(long start, Path segment) throws IOException {
            if (channelStart == start && channel != null) {
                return;
            }
            close();
            channel = FileChannel.open(segment, StandardOpenOption.READ);
            channelStart = start;
        }

        @Override
        public void close() {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // read-only
                }
                channel = null;
                channelStart = -1;
            }
        }
    }

    /** Writes what is buffered, forces it to the disk and persists the committed offset; releases the spool. */
    @Override
    public void close() throws IOException {
        try {
            drain();
            if (unsynced) {
                sync();
            }
            out.close();
            persistCommitted();
        } finally {
            releaseLock();
        }
    }

    private void releaseLock() {
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            log.warn("kafka spool: releasing {}: {}", dir.resolve(LOCK), e.getMessage());
        }
    }

    private Path segmentPath(long start) {
        return dir.resolve(String.format("%020d.jsonl", start));
    }

    /** The committed offset persisted in {@code dir}, or -1 when there is none. */
    static long readCommitted(Path dir) throws IOException {
        try {
            String s = Files.readString(dir.resolve(COMMITTED), StandardCharsets.US_ASCII).strip();
            return Long.parseLong(s);
        } catch (NoSuchFileException e) {
            return -1;
        } catch (NumberFormatException e) {
            log.warn("kafka spool: {} is not an offset; everything in the spool is sent again",
                    dir.resolve(COMMITTED));
            return -1;
        }
    }

    /**
     * Bytes in the spool at {@code dir} that the broker has not acknowledged, as the files on disk say (the
     * committed file is persisted a little after each acknowledgement, so this may count some already sent).
     */
    static long pendingBytes(Path dir) throws IOException {
        long end = 0;
        long first = Long.MAX_VALUE;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Matcher m = SEGMENT.matcher(f.getFileName().toString());
                if (m.matches()) {
                    long start = Long.parseLong(m.group(1));
                    first = Math.min(first, start);
                    try {
                        end = Math.max(end, start + Files.size(f));
                    } catch (NoSuchFileException gone) {
                        // deleted meanwhile: acknowledged
                    }
                }
            }
        }
        if (first == Long.MAX_VALUE) {
            return 0;
        }
        return Math.max(0, end - Math.max(first, readCommitted(dir)));
    }
}
