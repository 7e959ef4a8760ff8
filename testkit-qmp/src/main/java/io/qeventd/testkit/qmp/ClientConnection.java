package io.qeventd.testkit.qmp;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One accepted client. The server's accept thread reads from it; everything written goes through a
 * queue to the connection's own writer thread, so replies, events from other threads, delayed replies
 * and floods reach the wire whole and in the order they were queued.
 */
final class ClientConnection {

    private static final Logger LOG = LoggerFactory.getLogger(ClientConnection.class);

    private record Job(WireOutput output, CompletableFuture<Void> done) {
    }

    private final SocketChannel channel;
    private final int ordinal;
    private final LineEnding lineEnding;
    private final ChannelLineReader reader;
    private final BlockingQueue<Job> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private boolean closed; // guarded by this
    private volatile boolean negotiated;

    ClientConnection(SocketChannel channel, int ordinal, LineEnding lineEnding, String serverName) {
        this.channel = channel;
        this.ordinal = ordinal;
        this.lineEnding = lineEnding;
        this.reader = new ChannelLineReader(channel);
        this.writer = new Thread(this::writeLoop, "fake-qmp-writer " + serverName + " #" + ordinal);
        writer.setDaemon(true);
    }

    void start() {
        writer.start();
    }

    int ordinal() {
        return ordinal;
    }

    LineEnding lineEnding() {
        return lineEnding;
    }

    boolean negotiated() {
        return negotiated;
    }

    void markNegotiated() {
        negotiated = true;
    }

    /** Only the server's accept thread reads. */
    String readLine() throws IOException {
        return reader.readLine();
    }

    CompletableFuture<Void> writeLine(String line) {
        return enqueue(WireOutput.bytes((line + lineEnding.chars()).getBytes(StandardCharsets.UTF_8)));
    }

    /** Queues {@code output}; the future completes once it is written, or fails if the client goes first. */
    synchronized CompletableFuture<Void> enqueue(WireOutput output) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (closed) {
            done.completeExceptionally(disconnected());
        } else {
            queue.add(new Job(output, done));
        }
        return done;
    }

    /** Closes the connection once everything queued so far is written, as QEMU does on {@code quit}. */
    CompletableFuture<Void> closeAfterWrites() {
        return enqueue(channel -> close());
    }

    /** Closes at once; queued output is dropped and its futures fail. */
    void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("closing QMP client {} failed", ordinal, e);
        }
        writer.interrupt();
        for (Job job = queue.poll(); job != null; job = queue.poll()) {
            job.done().completeExceptionally(disconnected());
        }
    }

    private void writeLoop() {
        while (true) {
            Job job;
            try {
                job = queue.take();
            } catch (InterruptedException closing) {
                return;
            }
            try {
                job.output().writeTo(channel);
                job.done().complete(null);
            } catch (IOException | InterruptedException e) {
                LOG.debug("writing to QMP client {} failed, closing it: {}", ordinal, e.toString());
                job.done().completeExceptionally(e instanceof IOException ? e : disconnected());
                close();
                return;
            } catch (RuntimeException e) {
                // A failing line function of a flood: that job fails, the connection carries on.
                LOG.warn("output for QMP client {} failed", ordinal, e);
                job.done().completeExceptionally(e);
            }
        }
    }

    private IOException disconnected() {
        return new IOException("QMP client " + ordinal + " disconnected before the output was written");
    }
}
