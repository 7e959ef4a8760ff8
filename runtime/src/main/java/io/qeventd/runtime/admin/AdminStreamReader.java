package io.qeventd.runtime.admin;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The client's end of a streaming admin command ({@link AdminClient#stream}): the command's {@code return} value,
 * then the stream's lines one at a time. {@link #close()} may come from another thread (a signal handler): the
 * reader then sees the end within moments.
 */
public final class AdminStreamReader implements AutoCloseable {
    private final Path socket;
    private final SocketChannel channel;
    private final Selector selector;
    private final ByteBuffer in = ByteBuffer.allocate(64 * 1024);
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private final Deque<String> lines = new ArrayDeque<>();
    private JsonNode value;
    private boolean eof;
    private volatile boolean closed;

    AdminStreamReader(Path socket, SocketChannel channel, Selector selector) throws IOException {
        this.socket = socket;
        this.channel = channel;
        this.selector = selector;
        channel.register(selector, SelectionKey.OP_READ);
    }

    void value(JsonNode v) {
        this.value = v;
    }

    /** The command's {@code return} value. */
    public JsonNode value() {
        return value;
    }

    /**
     * The next line of the stream (without its line end), waiting up to {@code millis}; null when none came in
     * that time, or at the end of the stream ({@link #ended()} then says so).
     */
    public String next(long millis) throws IOException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (lines.isEmpty()) {
            if (eof || closed) {
                eof = true;
                return null;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            int n;
            try {
                selector.select(Math.max(1, left / 1_000_000));
                selector.selectedKeys().clear();
                if (closed) {
                    continue;
                }
                in.clear();
                n = channel.read(in);
            } catch (IOException | ClosedSelectorException e) {
                if (closed) {
                    continue;
                }
                throw e;
            }
            if (n < 0) {
                eof = true;
                continue;
            }
            in.flip();
            while (in.hasRemaining()) {
                byte b = in.get();
                if (b == '\n') {
                    lines.add(partial.toString(StandardCharsets.UTF_8));
                    partial.reset();
                } else {
                    partial.write(b);
                }
            }
        }
        return lines.poll();
    }

    /** The stream ended: the daemon closed it, or {@link #close()} was called. */
    public boolean ended() {
        return eof && lines.isEmpty();
    }

    /** True when the stream was ended by {@link #close()}, not by the daemon. */
    public boolean closedHere() {
        return closed;
    }

    public Path socket() {
        return socket;
    }

    /** Ends the stream from this side; safe from any thread. */
    @Override
    public void close() {
        closed = true;
        selector.wakeup();
        try {
            channel.close();
        } catch (IOException e) {
            // Closing; nothing left to do.
        }
        try {
            selector.close();
        } catch (IOException e) {
            // Closing; nothing left to do.
        }
    }
}
