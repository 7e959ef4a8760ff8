package io.qeventd.runtime.qmp;

import java.nio.ByteBuffer;

/**
 * Cuts the QMP byte stream into lines. QMP ends every message with a newline (QEMU writes CRLF); a
 * message may arrive split across any number of reads, and one read may carry many messages.
 *
 * <p>Lines are handed to the sink as a view of the framer's own buffer, valid only during the call:
 * the sink copies what it keeps. A line longer than the limit is a protocol failure of the whole
 * connection ({@link FrameTooLargeException}); nothing is silently truncated.
 */
public final class LineFramer {
    /** Receives each complete line, without its line ending. */
    @FunctionalInterface
    public interface LineSink {
        /**
         * @param buf          the framer's buffer
         * @param offset       where the line starts in {@code buf}
         * @param length       the line's length without CR/LF
         * @param streamOffset where the line starts in the whole stream since the connection opened
         */
        void line(byte[] buf, int offset, int length, long streamOffset);
    }

    /** What an idle connection holds: a thousand monitors that say little cost a few MiB, not 64 MiB. */
    static final int IDLE_CAPACITY = 4 * 1024;
    /** What a busy connection reads into: a flood is read 64 KiB a system call. */
    static final int BUSY_CAPACITY = 64 * 1024;

    private final int maxLineBytes;
    private byte[] buf = new byte[IDLE_CAPACITY];
    /** The last read filled the buffer: more was waiting, so the next read gets the busy size. */
    private boolean filled;
    private int start;     // first byte of the current, incomplete line
    private int end;       // one past the last byte received
    private int scanned;   // bytes before this index hold no newline
    private long consumed; // stream offset of buf[0]

    public LineFramer(int maxLineBytes) {
        if (maxLineBytes < 1) {
            throw new IllegalArgumentException("maxLineBytes must be positive: " + maxLineBytes);
        }
        this.maxLineBytes = maxLineBytes;
    }

    /**
     * A buffer to read into: its remaining space follows the bytes received so far. Call
     * {@link #received(int, LineSink)} with the count read.
     */
    public ByteBuffer writable() {
        makeRoom();
        return ByteBuffer.wrap(buf, end, buf.length - end);
    }

    /** Accounts for {@code count} bytes read into {@link #writable()} and emits every complete line. */
    public void received(int count, LineSink sink) {
        end += count;
        filled = end == buf.length;
        for (int i = scanned; i < end; i++) {
            if (buf[i] == '\n') {
                int len = i - start;
                if (len > 0 && buf[i - 1] == '\r') {
                    len--;
                }
                checkLimit(len);
                sink.line(buf, start, len, consumed + start);
                start = i + 1;
            }
        }
        scanned = end;
        // An incomplete line may already hold the CR of its CRLF.
        if (end - start > maxLineBytes + 1) {
            throw new FrameTooLargeException(maxLineBytes, consumed + start);
        }
    }

    /** Copies {@code bytes} in as if read from the socket; for callers that do not read into {@link #writable()}. */
    public void feed(byte[] bytes, int offset, int length, LineSink sink) {
        int done = 0;
        while (done < length) {
            ByteBuffer target = writable();
            int n = Math.min(target.remaining(), length - done);
            System.arraycopy(bytes, offset + done, buf, end, n);
            received(n, sink);
            done += n;
        }
    }

    /** Bytes of an incomplete line held back, waiting for its end. */
    public int pending() {
        return end - start;
    }

    private void checkLimit(int lineLength) {
        if (lineLength > maxLineBytes) {
            throw new FrameTooLargeException(maxLineBytes, consumed + start);
        }
    }

    private void makeRoom() {
        if (start == end) {
            // Nothing held back: start over, at the size the traffic asks for (memory a large message or a
            // flood made us take is given back once reads no longer fill the buffer).
            consumed += end;
            start = end = scanned = 0;
            int wanted = filled ? BUSY_CAPACITY : IDLE_CAPACITY;
            if (buf.length != wanted && (filled ? buf.length < wanted : buf.length > wanted)) {
                buf = new byte[wanted];
            }
            return;
        }
        if (filled && buf.length < BUSY_CAPACITY) {
            grow(BUSY_CAPACITY);
            return;
        }
        if (end < buf.length) {
            return;
        }
        if (start > 0) {
            System.arraycopy(buf, start, buf, 0, end - start);
            consumed += start;
            end -= start;
            scanned -= start;
            start = 0;
            if (end < buf.length) {
                return;
            }
        }
        // The incomplete line fills the buffer: grow, up to the limit plus room for CRLF.
        int grown = (int) Math.min((long) buf.length * 2, maxLineBytes + 2L);
        if (grown <= buf.length) {
            throw new FrameTooLargeException(maxLineBytes, consumed);
        }
        grow(grown);
    }

    private void grow(int size) {
        byte[] bigger = new byte[size];
        System.arraycopy(buf, 0, bigger, 0, end);
        buf = bigger;
    }
}
