package io.qeventd.testkit.qmp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * A deliberately dumb QMP client for testing the fake server: a plain unix socket, lines written as
 * given, reads with deadlines. It knows nothing of the protocol beyond "lines end in \n".
 */
final class RawQmpClient implements AutoCloseable {

    static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SocketChannel channel;
    private final Selector selector;
    private final ByteBuffer readBuffer = ByteBuffer.allocate(64 * 1024);
    /** Bytes read but not yet handed out: inbox[start, end). */
    private byte[] inbox = new byte[64 * 1024];
    private int start;
    private int end;

    private RawQmpClient(SocketChannel channel, Selector selector) {
        this.channel = channel;
        this.selector = selector;
    }

    static RawQmpClient connect(Path socket) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(socket));
        channel.configureBlocking(false);
        Selector selector = Selector.open();
        channel.register(selector, SelectionKey.OP_READ);
        return new RawQmpClient(channel, selector);
    }

    /** Connects, reads the greeting, negotiates capabilities and checks the server agreed. */
    static RawQmpClient connectNegotiated(Path socket) throws IOException {
        RawQmpClient client = connect(socket);
        JsonNode greeting = client.readJson();
        if (!greeting.has("QMP")) {
            throw new AssertionError("expected a greeting, got " + greeting);
        }
        client.send("{\"execute\": \"qmp_capabilities\"}");
        JsonNode reply = client.readJson();
        if (!reply.has("return")) {
            throw new AssertionError("negotiation failed: " + reply);
        }
        return client;
    }

    /** Writes {@code line} and a newline. */
    void send(String line) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
            channel.write(bytes); // small lines fit the socket buffer; a short write only loops
        }
    }

    /** The next line with its line ending. */
    String readRawLine() throws IOException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        int scanned = 0; // relative to start: a read may move the unread bytes to a larger array
        while (true) {
            for (; start + scanned < end; scanned++) {
                if (inbox[start + scanned] == '\n') {
                    return take(scanned + 1);
                }
            }
            if (readOnce(deadline) < 0) {
                throw new AssertionError("end of stream before a complete line; unterminated: " + take(end - start));
            }
        }
    }

    /** The next line without its line ending. */
    String readLine() throws IOException {
        return readRawLine().stripTrailing();
    }

    JsonNode readJson() throws IOException {
        return json(readLine());
    }

    static JsonNode json(String line) throws IOException {
        return JSON.readTree(line);
    }

    /** The bytes of exactly one read from the socket; nothing may be buffered from earlier reads. */
    byte[] readChunk() throws IOException {
        if (end > start) {
            throw new IllegalStateException("bytes from an earlier read are still buffered: " + take(end - start));
        }
        int read = readOnce(System.nanoTime() + TIMEOUT.toNanos());
        if (read < 0) {
            throw new AssertionError("end of stream instead of a chunk");
        }
        byte[] chunk = Arrays.copyOfRange(inbox, start, end);
        start = end;
        return chunk;
    }

    /** Reads until the server closes the connection and returns what came before the end. */
    String readToEnd() throws IOException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (readOnce(deadline) >= 0) {
            // keep collecting
        }
        return take(end - start);
    }

    @Override
    public void close() throws IOException {
        selector.close();
        channel.close();
    }

    /** One read into the inbox: bytes read, or -1 at end of stream; waits for data up to the deadline. */
    private int readOnce(long deadline) throws IOException {
        while (true) {
            readBuffer.clear();
            int read;
            try {
                read = channel.read(readBuffer);
            } catch (IOException reset) {
                return -1; // a reset after the server closed counts as the end
            }
            if (read < 0) {
                return -1;
            }
            if (read > 0) {
                append(readBuffer.array(), read);
                return read;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("nothing more from the server within " + TIMEOUT + "; buffered: "
                        + new String(inbox, start, end - start, StandardCharsets.UTF_8));
            }
            selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            selector.selectedKeys().clear();
        }
    }

    private void append(byte[] bytes, int length) {
        if (end + length > inbox.length) {
            int unread = end - start;
            byte[] larger = new byte[Math.max(inbox.length, 2 * (unread + length))];
            System.arraycopy(inbox, start, larger, 0, unread);
            inbox = larger;
            start = 0;
            end = unread;
        }
        System.arraycopy(bytes, 0, inbox, end, length);
        end += length;
    }

    private String take(int length) {
        String text = new String(inbox, start, length, StandardCharsets.UTF_8);
        start += length;
        return text;
    }
}
