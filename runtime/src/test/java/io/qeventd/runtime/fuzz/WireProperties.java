package io.qeventd.runtime.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.qeventd.runtime.qmp.FrameTooLargeException;
import io.qeventd.runtime.qmp.LineFramer;
import io.qeventd.runtime.qmp.QmpMessage;
import io.qeventd.runtime.qmp.QmpParseException;
import io.qeventd.runtime.qmp.QmpParser;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * What QEMU (or whatever answers on its socket) sends, fuzzed: the line framer and the QMP parser never fail
 * in any way but their own, never lose or invent a line, and never keep more than their limit.
 */
class WireProperties {
    private static final QmpParser PARSER = new QmpParser(new ObjectMapper());

    /** Seeds: real QMP lines, whole and damaged. */
    @Provide
    Arbitrary<byte[]> qmpish() {
        Arbitrary<String> seeds = Arbitraries.of(
                "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 22, \"minor\": 2, \"major\": 7}, \"package\": \"\"},"
                        + " \"capabilities\": [\"oob\"]}}",
                "{\"return\": {}, \"id\": 1}",
                "{\"error\": {\"class\": \"CommandNotFound\", \"desc\": \"x\"}, \"id\": \"a\"}",
                "{\"timestamp\": {\"seconds\": 1732560000, \"microseconds\": 42}, \"event\": \"NIC_RX_FILTER_CHANGED\","
                        + " \"data\": {\"name\": \"net0\", \"path\": \"/machine/peripheral/net0/virtio-backend\"}}",
                "{\"event\": \"STOP\"}");
        Arbitrary<byte[]> whole = seeds.map(t -> t.getBytes(StandardCharsets.UTF_8));
        Arbitrary<byte[]> damaged = Combinators.combine(whole, Arbitraries.integers().between(0, 200),
                Arbitraries.bytes()).as((b, at, x) -> {
                    byte[] c = b.clone();
                    c[Math.min(at, c.length - 1)] = x;
                    return c;
                });
        Arbitrary<byte[]> cut = Combinators.combine(whole, Arbitraries.integers().between(0, 200))
                .as((b, at) -> java.util.Arrays.copyOf(b, Math.min(at, b.length)));
        return Arbitraries.oneOf(whole, damaged, cut, Arbitraries.bytes().array(byte[].class).ofMaxSize(300));
    }

    @Property(tries = 1000)
    void theParserEitherReadsAMessageOrSaysTheLineIsMalformed(@ForAll("qmpish") byte[] line) {
        try {
            QmpMessage m = PARSER.parse(line, 0, line.length);
            assertThat(m).isNotNull();
        } catch (QmpParseException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }

    @Property(tries = 300)
    void theFramerEmitsExactlyTheLinesOfTheStreamHoweverItIsCut(
            @ForAll @Size(max = 20) List<@Size(max = 60) List<@IntRange(min = 0, max = 255) Integer>> lineBytes,
            @ForAll @Size(max = 30) List<@IntRange(min = 1, max = 50) Integer> cuts) {
        List<String> lines = new ArrayList<>();
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (List<Integer> l : lineBytes) {
            StringBuilder b = new StringBuilder();
            for (int v : l) {
                byte x = (byte) v;
                if (x == '\n' || x == '\r') {
                    x = 'n';
                }
                b.append((char) (x & 0xff));
                stream.write(x);
            }
            stream.write('\r');
            stream.write('\n');
            lines.add(b.toString());
        }
        byte[] all = stream.toByteArray();
        LineFramer framer = new LineFramer(1024);
        List<String> seen = new ArrayList<>();
        int at = 0;
        int c = 0;
        while (at < all.length) {
            int n = Math.min(all.length - at, cuts.isEmpty() ? all.length : cuts.get(c++ % cuts.size()));
            ByteBuffer into = framer.writable();
            int take = Math.min(n, into.remaining());
            into.put(all, at, take);
            framer.received(take, (buf, off, len, streamOffset) -> {
                StringBuilder b = new StringBuilder();
                for (int i = 0; i < len; i++) {
                    b.append((char) (buf[off + i] & 0xff));
                }
                seen.add(b.toString());
            });
            at += take;
        }
        assertThat(seen).isEqualTo(lines);
        assertThat(framer.pending()).isZero();
    }

    /** A limit of 64 holds 64 bytes and the CR of a CRLF; one byte more without a newline is refused. */
    @Property(tries = 100)
    void aLineOverTheLimitIsRefusedNotKept(@ForAll @IntRange(min = 66, max = 5000) int length) {
        LineFramer framer = new LineFramer(64);
        byte[] junk = new byte[length];
        java.util.Arrays.fill(junk, (byte) 'x');
        boolean refused = false;
        int at = 0;
        try {
            while (at < junk.length) {
                ByteBuffer into = framer.writable();
                int take = Math.min(junk.length - at, into.remaining());
                into.put(junk, at, take);
                framer.received(take, (buf, off, len, so) -> { });
                at += take;
                assertThat(framer.pending()).isLessThanOrEqualTo(64 + into.capacity());
            }
        } catch (FrameTooLargeException e) {
            refused = true;
        }
        assertThat(refused).as("a line of %d bytes without a newline is refused", length).isTrue();
    }
}
