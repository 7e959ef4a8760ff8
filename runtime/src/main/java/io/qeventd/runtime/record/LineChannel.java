package io.qeventd.runtime.record;

import io.qeventd.runtime.qmp.LineFramer;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * One end of a QMP connection as lines: reads block on one thread, writes may come from others. Reads and writes
 * go to the channel directly, so a blocked read never holds up a write.
 */
final class LineChannel implements AutoCloseable {
    static final int MAX_LINE = 10 * 1024 * 1024; // QMP's reply size limit, as libvirt and the daemon use

    private final SocketChannel channel;
    private final LineFramer framer = new LineFramer(MAX_LINE);
    private final Deque<String> lines = new ArrayDeque<>();
    private final Object writeLock = new Object();

    LineChannel(SocketChannel channel) {
        this.channel = channel;
    }

    static LineChannel connect(Path socket) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            ch.close();
            throw new IOException("cannot connect to the QMP socket " + socket + ": " + e.getMessage(), e);
        }
        return new LineChannel(ch);
    }

    /** The next line without its line ending, or null at end of stream. */
    String readLine() throws IOException {
        while (lines.isEmpty()) {
            ByteBuffer into = framer.writable();
            int n = channel.read(into);
            if (n < 0) {
                return null;
            }
            framer.received(n, (buf, offset, length, streamOffset) ->
                    lines.add(new String(buf, offset, length, StandardCharsets.UTF_8)));
        }
        return lines.poll();
    }

    void writeLine(String line) throws IOException {
        ByteBuffer out = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
        synchronized (writeLock) {
            while (out.hasRemaining()) {
                channel.write(out);
            }
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // closing is all that is left to do with it
        }
    }
}
