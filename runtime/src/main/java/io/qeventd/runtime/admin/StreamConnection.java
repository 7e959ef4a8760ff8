package io.qeventd.runtime.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * The writing end of a streaming answer. The channel is non-blocking from here on: a write waits for the client
 * to take bytes for at most the write timeout (then the connection is given up), and a look at the read side tells
 * whether the client has gone, so a stream with nothing to say for hours still ends with its client.
 */
final class StreamConnection implements AdminStream, AutoCloseable {
    private final SocketChannel client;
    private final JsonNode id;
    private final Duration writeTimeout;
    private final Selector selector;
    private final ByteBuffer discard = ByteBuffer.allocate(512);
    private boolean begun;

    StreamConnection(SocketChannel client, JsonNode id, Duration writeTimeout) throws IOException {
        this.client = client;
        this.id = id;
        this.writeTimeout = writeTimeout;
        client.configureBlocking(false);
        this.selector = Selector.open();
        try {
            client.register(selector, SelectionKey.OP_WRITE);
        } catch (IOException | RuntimeException e) {
            selector.close();
            throw e;
        }
    }

    boolean begun() {
        return begun;
    }

    @Override
    public void begin(Object value) throws IOException {
        if (begun) {
            throw new IllegalStateException("the stream has begun already");
        }
        ObjectNode reply = AdminProtocol.MAPPER.createObjectNode();
        reply.set("return", AdminProtocol.MAPPER.valueToTree(value));
        if (id != null) {
            reply.set("id", id);
        }
        begun = true;
        line(AdminProtocol.MAPPER.writeValueAsString(reply));
    }

    @Override
    public void line(String json) throws IOException {
        write(ByteBuffer.wrap((json + "\n").getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public void lines(List<String> json) throws IOException {
        StringBuilder b = new StringBuilder();
        for (String line : json) {
            b.append(line).append('\n');
        }
        write(ByteBuffer.wrap(b.toString().getBytes(StandardCharsets.UTF_8)));
    }

    /** Writes a line before the stream began: an error answer. */
    void answer(String line) throws IOException {
        write(ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8)));
    }

    private void write(ByteBuffer out) throws IOException {
        long deadline = System.nanoTime() + writeTimeout.toNanos();
        while (out.hasRemaining()) {
            if (client.write(out) > 0) {
                deadline = System.nanoTime() + writeTimeout.toNanos(); // the client reads: it is slow, not stuck
                continue;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new IOException("the client read nothing for " + writeTimeout.toMillis() + " ms");
            }
            selector.select(Math.max(1, left / 1_000_000));
            selector.selectedKeys().clear();
            if (Thread.currentThread().isInterrupted()) {
                throw new IOException("the admin server stops");
            }
        }
    }

    @Override
    public boolean clientGone() {
        try {
            int n;
            do {
                discard.clear();
                n = client.read(discard);
            } while (n > 0);
            return n < 0;
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public void close() {
        try {
            selector.close();
        } catch (IOException e) {
            // Closing; nothing left to do.
        }
    }
}
