package io.qeventd.runtime.qmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineFramerTest {
    private final List<String> lines = new ArrayList<>();
    private final List<Long> offsets = new ArrayList<>();
    private final LineFramer.LineSink sink = (buf, off, len, at) -> {
        lines.add(new String(buf, off, len, StandardCharsets.UTF_8));
        offsets.add(at);
    };

    @Test
    void messageSplitAtEveryOffsetComesOutWhole() {
        byte[] stream = "{\"event\":\"STOP\"}\r\n{\"return\":{}}\r\n".getBytes(StandardCharsets.UTF_8);
        for (int cut = 0; cut <= stream.length; cut++) {
            lines.clear();
            LineFramer framer = new LineFramer(1024);
            framer.feed(stream, 0, cut, sink);
            framer.feed(stream, cut, stream.length - cut, sink);
            assertThat(lines).as("cut at %d", cut).containsExactly("{\"event\":\"STOP\"}", "{\"return\":{}}");
        }
    }

    @Test
    void byteByByteDeliveryKeepsStreamOffsets() {
        byte[] stream = "a\nbb\r\n\nccc\n".getBytes(StandardCharsets.UTF_8);
        LineFramer framer = new LineFramer(16);
        for (int i = 0; i < stream.length; i++) {
            framer.feed(stream, i, 1, sink);
        }
        assertThat(lines).containsExactly("a", "bb", "", "ccc");
        assertThat(offsets).containsExactly(0L, 2L, 6L, 7L);
    }

    @Test
    void manyMessagesInOneReadAllComeOut() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            sb.append("{\"n\":").append(i).append("}\r\n");
        }
        byte[] stream = sb.toString().getBytes(StandardCharsets.UTF_8);
        new LineFramer(1024).feed(stream, 0, stream.length, sink);
        assertThat(lines).hasSize(10_000).endsWith("{\"n\":9999}");
    }

    @Test
    void lineLargerThanTheInitialBufferGrowsIt() {
        String big = "x".repeat(5 * 1024 * 1024);
        byte[] stream = (big + "\r\nafter\n").getBytes(StandardCharsets.UTF_8);
        LineFramer framer = new LineFramer(10 * 1024 * 1024);
        for (int i = 0; i < stream.length; i += 7000) {
            framer.feed(stream, i, Math.min(7000, stream.length - i), sink);
        }
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).hasSize(big.length());
        assertThat(lines.get(1)).isEqualTo("after");
    }

    @Test
    void lineExactlyAtTheLimitPassesAndOneByteMoreFails() {
        LineFramer framer = new LineFramer(100);
        byte[] ok = ("y".repeat(100) + "\r\n").getBytes(StandardCharsets.UTF_8);
        framer.feed(ok, 0, ok.length, sink);
        assertThat(lines).hasSize(1);

        byte[] tooLong = ("z".repeat(102)).getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> framer.feed(tooLong, 0, tooLong.length, sink))
                .isInstanceOf(FrameTooLargeException.class)
                .hasMessageContaining("size limit of 100 bytes");
    }

    /** An idle connection holds a small buffer; reads that fill it get the large one; it shrinks back after. */
    @Test
    void theBufferFollowsTheTraffic() {
        LineFramer f = new LineFramer(1 << 20);
        List<String> lines = new ArrayList<>();
        LineFramer.LineSink sink = (buf, off, len, at) -> lines.add(new String(buf, off, len,
                StandardCharsets.US_ASCII));
        assertThat(f.writable().capacity()).isEqualTo(LineFramer.IDLE_CAPACITY);

        byte[] line = "{\"event\": \"STOP\"}\n".getBytes(StandardCharsets.US_ASCII);
        ByteBuffer target = f.writable();
        int n = 0;
        while (target.remaining() > 0) { // a read that fills the whole buffer: more is waiting
            int k = Math.min(line.length, target.remaining());
            target.put(line, 0, k);
            n += k;
        }
        f.received(n, sink);
        assertThat(f.writable().capacity()).as("busy").isEqualTo(LineFramer.BUSY_CAPACITY);

        // The rest of the cut line, then a quiet read: back to the small buffer once nothing is held.
        int cut = LineFramer.IDLE_CAPACITY % line.length;
        f.feed(line, cut, line.length - cut, sink);
        f.feed(line, 0, line.length, sink);
        assertThat(f.writable().capacity()).as("idle again").isEqualTo(LineFramer.IDLE_CAPACITY);
        assertThat(lines).allMatch(l -> l.equals("{\"event\": \"STOP\"}"));
        assertThat(lines).hasSize(LineFramer.IDLE_CAPACITY / line.length + 2);
    }
}
