package io.qeventd.bench;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

/**
 * A QEMU stand-in for measurements: greets, answers every command with an empty return, then, when told,
 * writes event lines of QEMU 7.2's shape (STOP and RESUME alternately, about 130 bytes each) as fast as the
 * socket takes them, or at a given rate. One client at a time.
 */
final class FloodServer implements AutoCloseable {
    private static final byte[] GREETING = ("{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 22, \"minor\": 2, \"major\": 7},"
            + " \"package\": \"Debian 1:7.2+dfsg-7+deb12u16\"}, \"capabilities\": [\"oob\"]}}\r\n")
            .getBytes(StandardCharsets.UTF_8);

    private final Path socket;
    private final ServerSocketChannel server;
    private final CompletableFuture<SocketChannel> client = new CompletableFuture<>();
    private final CountDownLatch negotiated = new CountDownLatch(1);
    private final Thread acceptor;

    FloodServer(Path socket) throws IOException {
        this.socket = socket;
        Files.deleteIfExists(socket);
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        acceptor = new Thread(this::serve, "flood-" + socket.getFileName());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    Path socket() {
        return socket;
    }

    private void serve() {
        try {
            SocketChannel c = server.accept();
            c.write(ByteBuffer.wrap(GREETING));
            client.complete(c);
            // Answer commands (qmp_capabilities, query-uuid, query-status...) with an empty return, echoing ids.
            ByteBuffer in = ByteBuffer.allocate(64 * 1024);
            StringBuilder line = new StringBuilder();
            while (c.read(in) >= 0) {
                in.flip();
                while (in.hasRemaining()) {
                    char ch = (char) in.get();
                    if (ch == '\n') {
                        answer(c, line.toString());
                        line.setLength(0);
                    } else {
                        line.append(ch);
                    }
                }
                in.clear();
            }
        } catch (IOException e) {
            client.completeExceptionally(e);
        }
    }

    private void answer(SocketChannel c, String command) throws IOException {
        int at = command.indexOf("\"id\"");
        String id = "null";
        if (at >= 0) {
            int colon = command.indexOf(':', at);
            int end = command.indexOf('}', colon);
            int comma = command.indexOf(',', colon);
            if (comma >= 0 && comma < end) {
                end = comma;
            }
            id = command.substring(colon + 1, end).trim();
        }
        String reply = command.contains("query-status")
                ? "{\"return\": {\"status\": \"running\", \"singlestep\": false, \"running\": true}, \"id\": " + id + "}"
                : "{\"return\": {}, \"id\": " + id + "}";
        synchronized (this) {
            writeAll(c, ByteBuffer.wrap((reply + "\r\n").getBytes(StandardCharsets.UTF_8)));
        }
        if (command.contains("qmp_capabilities")) {
            negotiated.countDown();
        }
    }

    /** Waits until a client connected and negotiated. */
    void awaitNegotiated() throws Exception {
        client.get();
        negotiated.await();
    }

    /** One event line of about 130 bytes, as QEMU writes it. */
    static byte[] eventLine(long i) {
        String name = (i & 1) == 0 ? "STOP" : "RESUME";
        return ("{\"timestamp\": {\"seconds\": " + (1764660000 + i / 1_000_000) + ", \"microseconds\": " + (i % 1_000_000)
                + "}, \"event\": \"" + name + "\"}\r\n").getBytes(StandardCharsets.UTF_8);
    }

    /** Writes {@code count} event lines as fast as the socket takes them; returns when all are written. */
    void flood(long count) throws Exception {
        SocketChannel c = client.get();
        ByteBuffer batch = ByteBuffer.allocate(256 * 1024);
        for (long i = 0; i < count; i++) {
            byte[] line = eventLine(i);
            if (batch.remaining() < line.length) {
                batch.flip();
                synchronized (this) {
                    writeAll(c, batch);
                }
                batch.clear();
            }
            batch.put(line);
        }
        batch.flip();
        synchronized (this) {
            writeAll(c, batch);
        }
    }

    /** Writes {@code count} event lines at {@code perSecond}, in 10 ms slices. */
    void steady(long count, long perSecond) throws Exception {
        long sliceNanos = 10_000_000L;
        long perSlice = Math.max(1, perSecond / 100);
        long start = System.nanoTime();
        long sent = 0;
        SocketChannel c = client.get();
        ByteBuffer batch = ByteBuffer.allocate((int) Math.min(64L * 1024 * 1024, perSlice * 140 + 1024));
        for (long slice = 0; sent < count; slice++) {
            long due = start + slice * sliceNanos;
            while (System.nanoTime() < due) {
                Thread.onSpinWait();
            }
            batch.clear();
            for (long k = 0; k < perSlice && sent < count; k++, sent++) {
                batch.put(eventLine(sent));
            }
            batch.flip();
            synchronized (this) {
                writeAll(c, batch);
            }
        }
    }

    private static void writeAll(SocketChannel c, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            c.write(b);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        SocketChannel c = client.getNow(null);
        if (c != null) {
            c.close();
        }
        Files.deleteIfExists(socket);
    }
}
