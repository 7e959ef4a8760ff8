package io.qeventd.runtime.qmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.qeventd.api.QemuTimestamp;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class QmpParserTest {
    private final QmpParser parser = new QmpParser(new ObjectMapper());

    @Test
    void eventKeepsDataAsRawBytesAndReadsTimestamp() throws Exception {
        var msg = parser.parse("{\"timestamp\": {\"seconds\": 1732560000, \"microseconds\": 42},"
                + " \"event\": \"NIC_RX_FILTER_CHANGED\", \"data\": {\"name\": \"net0\", \"path\": \"/machine/x\"}}");
        assertThat(msg).isInstanceOf(QmpMessage.Event.class);
        var ev = (QmpMessage.Event) msg;
        assertThat(ev.name()).isEqualTo("NIC_RX_FILTER_CHANGED");
        assertThat(ev.dataAsString()).isEqualTo("{\"name\": \"net0\", \"path\": \"/machine/x\"}");
        assertThat(ev.timestamp()).isEqualTo(new QemuTimestamp(1732560000, 42));
        assertThat(ev.timestamp().toString()).isEqualTo("1732560000.000042");
    }

    @Test
    void sliceOffsetsHoldForALineInsideALargerBuffer() throws Exception {
        byte[] line = "{\"event\":\"RESET\",\"data\":{\"guest\":true},\"timestamp\":{\"seconds\":-1,\"microseconds\":-1}}"
                .getBytes(StandardCharsets.UTF_8);
        byte[] buf = new byte[line.length + 37];
        System.arraycopy(line, 0, buf, 17, line.length);
        var ev = (QmpMessage.Event) parser.parse(buf, 17, line.length);
        assertThat(ev.dataAsString()).isEqualTo("{\"guest\":true}");
        assertThat(ev.timestamp().isKnown()).isFalse();
    }

    @Test
    void anOverlongOrOddEventNameIsMalformedInput() {
        String longName = "X".repeat(60_000);
        assertThatThrownBy(() -> parser.parse("{\"event\":\"" + longName + "\"}"))
                .isInstanceOf(QmpParseException.class).hasMessageContaining("event name is no QMP event name (60000");
        assertThatThrownBy(() -> parser.parse("{\"event\":\"STOP\\n12:00 ERROR forged\"}"))
                .isInstanceOf(QmpParseException.class).hasMessageContaining("event name is no QMP event name");
        assertThatThrownBy(() -> parser.parse("{\"event\":\"\"}")).isInstanceOf(QmpParseException.class);
    }

    @Test
    void timestampsOutOfRangeAreUnknownNotErrors() throws Exception {
        var huge = (QmpMessage.Event) parser.parse(
                "{\"event\":\"STOP\",\"timestamp\":{\"seconds\":9223372036854775807,\"microseconds\":0}}");
        assertThat(huge.timestamp().isKnown()).isFalse();
        var badMicros = (QmpMessage.Event) parser.parse(
                "{\"event\":\"STOP\",\"timestamp\":{\"seconds\":1,\"microseconds\":5000000}}");
        assertThat(badMicros.timestamp().isKnown()).isFalse();
        var negative = (QmpMessage.Event) parser.parse(
                "{\"event\":\"STOP\",\"timestamp\":{\"seconds\":-5,\"microseconds\":0}}");
        assertThat(negative.timestamp().isKnown()).isFalse();
    }

    @Test
    void eventWithoutDataHasNullData() throws Exception {
        var ev = (QmpMessage.Event) parser.parse("{\"event\":\"STOP\",\"timestamp\":{\"seconds\":1,\"microseconds\":2}}");
        assertThat(ev.data()).isNull();
    }

    @Test
    void returnKeepsItsIdAndRawValue() throws Exception {
        var r = (QmpMessage.Return) parser.parse("{\"return\": {\"status\": \"running\", \"running\": true}, \"id\": 7}");
        assertThat(r.id()).isEqualTo(7L);
        assertThat(r.valueAsString()).isEqualTo("{\"status\": \"running\", \"running\": true}");
        var s = (QmpMessage.Return) parser.parse("{\"return\": [], \"id\": \"abc\"}");
        assertThat(s.id()).isEqualTo("abc");
        assertThat(s.valueAsString()).isEqualTo("[]");
    }

    @Test
    void errorCarriesClassAndDescription() throws Exception {
        var e = (QmpMessage.Error) parser.parse(
                "{\"id\": 3, \"error\": {\"class\": \"CommandNotFound\", \"desc\": \"The command nope has not been found\"}}");
        assertThat(e.id()).isEqualTo(3L);
        assertThat(e.errorClass()).isEqualTo("CommandNotFound");
        assertThat(e.description()).isEqualTo("The command nope has not been found");
    }

    @Test
    void greetingGivesVersionAndCapabilities() throws Exception {
        var g = (QmpMessage.Greeting) parser.parse("{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 0, \"minor\": 2,"
                + " \"major\": 7}, \"package\": \"Debian 1:7.2+dfsg-7\"}, \"capabilities\": [\"oob\"]}}");
        assertThat(g.qemuVersion()).isEqualTo("7.2.0");
        assertThat(g.capabilities()).containsExactly("oob");
    }

    @Test
    void garbageIsRejectedWithASnippet() {
        assertThatThrownBy(() -> parser.parse("this is not json\u0001"))
                .isInstanceOf(QmpParseException.class)
                .hasMessageContaining("invalid JSON")
                .hasMessageContaining("'this is not json\\x01'");
        assertThatThrownBy(() -> parser.parse("{\"hello\": 1}"))
                .isInstanceOf(QmpParseException.class)
                .hasMessageContaining("no QMP greeting, reply or event");
        assertThatThrownBy(() -> parser.parse("{\"event\": \"STOP\"} {}"))
                .isInstanceOf(QmpParseException.class);
        assertThatThrownBy(() -> parser.parse("[1,2]"))
                .isInstanceOf(QmpParseException.class)
                .hasMessageContaining("not a JSON object");
    }

    /**
     * One parser reads a connection's lines one after another: no bad line, and no white space left after a good
     * one, may leak into the next.
     */
    @Test
    void aLineIsParsedAloneWhateverCameBeforeIt() throws Exception {
        String good = "{\"return\": {\"a\": 1}, \"id\": 3}";
        String[] before = {"{\"return\": {}, \"id\": 1}   ", "{\"return\": {}, \"id\": 1} tr", "{\"event\": \"CUT\", \"data\": {",
            "{\"return\": \"unterminated", "{\"return\": 12", "[1, 2", "}", "\"str", "12"};
        for (String b : before) {
            try {
                parser.parse(b);
            } catch (QmpParseException e) {
                // the point is the line after it
            }
            var r = (QmpMessage.Return) parser.parse(good);
            assertThat(r.id()).as("after %s", b).isEqualTo(3L);
            assertThat(new String(r.value(), StandardCharsets.UTF_8)).as("after %s", b).isEqualTo("{\"a\": 1}");
        }
    }

    @Test
    void scalarAndStringValuesAreSlicedExactly() throws Exception {
        assertThat(new String(((QmpMessage.Return) parser.parse("{\"return\": 5, \"id\": 1}")).value(),
                StandardCharsets.UTF_8)).isEqualTo("5");
        assertThat(new String(((QmpMessage.Return) parser.parse("{\"id\": 1, \"return\":\"a:b\"}")).value(),
                StandardCharsets.UTF_8)).isEqualTo("\"a:b\"");
        assertThat(new String(((QmpMessage.Return) parser.parse("{\"return\": [1, [2]] , \"id\": 1}")).value(),
                StandardCharsets.UTF_8)).isEqualTo("[1, [2]]");
        assertThat(new String(((QmpMessage.Return) parser.parse("{\"return\": true}")).value(),
                StandardCharsets.UTF_8)).isEqualTo("true");
        assertThat(new String(((QmpMessage.Return) parser.parse("{\"return\":-1.5e3}")).value(),
                StandardCharsets.UTF_8)).isEqualTo("-1.5e3");
    }
}
