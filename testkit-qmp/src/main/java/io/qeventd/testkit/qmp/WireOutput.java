package io.qeventd.testkit.qmp;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/** Bytes put on the wire by a connection's writer thread, one job at a time, so jobs never interleave. */
@FunctionalInterface
interface WireOutput {

    void writeTo(WritableByteChannel channel) throws IOException, InterruptedException;

    static WireOutput bytes(byte[] bytes) {
        return channel -> writeFully(channel, ByteBuffer.wrap(bytes));
    }

    /**
     * {@code bytes} cut before each offset in {@code cuts}, one write per piece with {@code pause} in
     * between. The pause is what lets the reader see each piece on its own: the kernel hands a reader
     * everything queued, so pieces written back to back would usually arrive as one read.
     */
    static WireOutput split(byte[] bytes, int[] cuts, Duration pause) {
        return channel -> {
            int start = 0;
            for (int cut : cuts) {
                writeFully(channel, ByteBuffer.wrap(bytes, start, cut - start));
                TimeUnit.NANOSECONDS.sleep(pause.toNanos());
                start = cut;
            }
            writeFully(channel, ByteBuffer.wrap(bytes, start, bytes.length - start));
        };
    }

    /** {@code count} lines made on the writer thread and written in large batches, as fast as the reader takes them. */
    static WireOutput lines(int count, IntFunction<String> lineFn, LineEnding ending) {
        return channel -> {
            ByteBuffer batch = ByteBuffer.allocate(256 * 1024);
            for (int i = 0; i < count; i++) {
                byte[] line = (lineFn.apply(i) + ending.chars()).getBytes(StandardCharsets.UTF_8);
                if (line.length > batch.remaining()) {
                    writeFully(channel, batch.flip());
                    batch.clear();
                }
                if (line.length > batch.capacity()) {
                    writeFully(channel, ByteBuffer.wrap(line));
                } else {
                    batch.put(line);
                }
            }
            writeFully(channel, batch.flip());
        };
    }

    private static void writeFully(WritableByteChannel channel, ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }
}
