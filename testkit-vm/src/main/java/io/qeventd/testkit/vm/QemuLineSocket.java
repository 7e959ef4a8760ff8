package io.qeventd.testkit.vm;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A newline-framed client of one of QEMU's unix sockets (a QMP monitor, a serial chardev), where every
 * read has a deadline. Tests use it where the project's own QMP client is not the thing under test.
 */
public final class QemuLineSocket implements AutoCloseable {
    private final Path path;
    private final SocketChannel channel;
    private final Selector selector;
    private final SelectionKey key;
    private final ByteBuffer readBuffer = ByteBuffer.allocate(64 * 1024);
    private final ByteArrayOutputStream partialLine = new ByteArrayOutputStream();

    private QemuLineSocket(Path path, SocketChannel channel, Selector selector, SelectionKey key) {
        this.path = path;
        this.channel = channel;
        this.selector = selector;
        this.key = key;
    }

    /** Connects to the unix socket at {@code path}; the socket must be listening. */
    public static QemuLineSocket connect(Path path) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.connect(UnixDomainSocketAddress.of(path));
            channel.configureBlocking(false);
            Selector selector = Selector.open();
            return new QemuLineSocket(path, channel, selector, channel.register(selector, SelectionKey.OP_READ));
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Sends {@code line} and a newline. */
    public void send(String line) {
        ByteBuffer bytes = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
        try {
            while (bytes.hasRemaining()) {
                if (channel.write(bytes) == 0) { // the socket buffer is full: wait until QEMU drains it
                    key.interestOps(SelectionKey.OP_WRITE);
                    selector.select(1000);
                    selector.selectedKeys().clear();
                    key.interestOps(SelectionKey.OP_READ);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to " + path, e);
        }
    }

    /**
     * Reads the next line (without its newline, or CR newline), waiting until {@code deadline} at most.
     *
     * @return the line, or empty if none was complete by the deadline
     * @throws UncheckedIOException the peer closed the socket or it failed
     */
    public Optional<String> readLine(Instant deadline) {
        try {
            while (true) {
                Optional<String> line = takeLine();
                if (line.isPresent()) {
                    return line;
                }
                long waitMillis = Duration.between(Instant.now(), deadline).toMillis();
                if (waitMillis <= 0) {
                    return Optional.empty();
                }
                selector.select(waitMillis);
                selector.selectedKeys().clear();
                int read = channel.read(readBuffer);
                if (read < 0) {
                    throw new EOFException("QEMU closed " + path);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    /** Moves read bytes into the partial line until a newline completes it. */
    private Optional<String> takeLine() {
        readBuffer.flip();
        try {
            while (readBuffer.hasRemaining()) {
                byte b = readBuffer.get();
                if (b == '\n') {
                    String line = partialLine.toString(StandardCharsets.UTF_8);
                    partialLine.reset();
                    // QMP ends its lines with CRLF; the CR is framing, not content.
                    return Optional.of(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
                }
                partialLine.write(b);
            }
            return Optional.empty();
        } finally {
            readBuffer.compact();
        }
    }

    /** The socket this client is connected to. */
    public Path path() {
        return path;
    }

    @Override
    public void close() throws IOException {
        try {
            selector.close();
        } finally {
            channel.close();
        }
    }
}
