package io.qeventd.testkit.qmp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;

/**
 * Newline-framed reading straight from a channel. Not through {@code Channels.newInputStream}: that
 * stream holds the channel's blocking lock while it waits, which would stall the writer thread.
 */
final class ChannelLineReader {

    private final ReadableByteChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocate(16 * 1024).flip();

    ChannelLineReader(ReadableByteChannel channel) {
        this.channel = channel;
    }

    /** The next line without its {@code \n} or {@code \r\n}; at end of stream the unterminated rest, or null. */
    String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            while (buffer.hasRemaining()) {
                byte b = buffer.get();
                if (b == '\n') {
                    return decode(line);
                }
                line.write(b);
            }
            buffer.clear();
            int read = channel.read(buffer);
            buffer.flip();
            if (read < 0) {
                return line.size() > 0 ? decode(line) : null;
            }
        }
    }

    private static String decode(ByteArrayOutputStream line) {
        String text = line.toString(StandardCharsets.UTF_8);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }
}
