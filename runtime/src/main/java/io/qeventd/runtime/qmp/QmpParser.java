package io.qeventd.runtime.qmp;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qeventd.api.QemuTimestamp;
import io.qeventd.runtime.log.LogText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Parses one QMP line with Jackson's streaming parser. It reads only the few fields that route a
 * message (event name, id, error class, timestamp) and keeps {@code data} and {@code return} as
 * byte slices, so the monitor reader never builds a tree for a payload it does not need.
 *
 * <p>One parser serves a connection's whole stream: lines are fed to a non-blocking Jackson parser that
 * lives as long as this object, since setting up a parser per line (encoding detection, buffers, symbol
 * tables) cost more than parsing a QEMU event. A line that is not one whole JSON object throws the parser
 * away; the next line starts a fresh one. Not thread-safe: one per connection, used by its reader.
 */
public final class QmpParser {
    private static final int SNIPPET_CHARS = 120;

    private final ObjectMapper mapper;
    private final JsonFactory factory;

    /** Longer than any QEMU event name (the longest in QEMU 7.2 has 27 characters) by far. */
    public static final int MAX_EVENT_NAME = 128;
    /** Seconds of a timestamp past which it is not believed (the year 3000). */
    private static final long MAX_SECONDS = 32_503_680_000L;

    public QmpParser(ObjectMapper mapper) {
        this.mapper = mapper;
        this.factory = mapper.getFactory();
    }

    /** The parser fed line after line, or null until the first line and after a malformed one. */
    private JsonParser stream;
    /** Bytes fed to {@link #stream} before the current line: subtracted from its locations. */
    private long fed;

    public QmpMessage parse(byte[] buf, int offset, int length) throws QmpParseException {
        boolean whole = false;
        try {
            JsonParser p = feed(buf, offset, length);
            long base = fed - length;
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw malformed("not a JSON object", buf, offset, length, null);
            }
            String event = null;
            byte[] data = null;
            QemuTimestamp timestamp = QemuTimestamp.UNKNOWN;
            Object id = null;
            boolean hasReturn = false;
            byte[] returned = null;
            String errorClass = null;
            String errorDesc = null;
            boolean hasError = false;
            JsonNode greeting = null;

            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "event" -> event = value == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "data" -> data = slice(p, buf, offset, base);
                    case "timestamp" -> timestamp = readTimestamp(p);
                    case "id" -> id = readId(p, value, buf, offset, base);
                    case "return" -> {
                        hasReturn = true;
                        returned = slice(p, buf, offset, base);
                    }
                    case "error" -> {
                        hasError = true;
                        if (value == JsonToken.START_OBJECT) {
                            while (p.nextToken() == JsonToken.FIELD_NAME) {
                                String f = p.currentName();
                                p.nextToken();
                                if ("class".equals(f)) {
                                    errorClass = p.getValueAsString();
                                } else if ("desc".equals(f)) {
                                    errorDesc = p.getValueAsString();
                                } else {
                                    p.skipChildren();
                                }
                            }
                        } else {
                            p.skipChildren();
                        }
                    }
                    case "QMP" -> greeting = tree(slice(p, buf, offset, base));
                    default -> p.skipChildren();
                }
            }
            if (p.currentToken() == JsonToken.NOT_AVAILABLE) {
                throw malformed("incomplete JSON object", buf, offset, length, null);
            }
            // Only white space may follow the object on its line. Looked at as bytes: the stream parser would
            // wait for the end of a trailing token that the next line might complete.
            int end = (int) (p.currentLocation().getByteOffset() - base);
            for (int i = end; i < length; i++) {
                byte b = buf[offset + i];
                if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                    throw malformed("trailing content after the JSON object", buf, offset, length, null);
                }
            }
            if (end < length && !((ByteArrayFeeder) p.getNonBlockingInputFeeder()).needMoreInput()) {
                reset(); // white space after the object that the parser has not consumed: start clean
            }
            whole = true;
            if (event != null) {
                if (!isEventName(event)) {
                    throw malformed("event name is no QMP event name (" + event.length() + " characters; expected 1 to "
                            + MAX_EVENT_NAME + " letters, digits, '_', '-' or '.')", buf, offset, length, null);
                }
                return new QmpMessage.Event(event, data, timestamp);
            }
            if (hasReturn) {
                return new QmpMessage.Return(id, returned);
            }
            if (hasError) {
                return new QmpMessage.Error(id, errorClass == null ? "GenericError" : errorClass,
                        errorDesc == null ? "" : errorDesc);
            }
            if (greeting != null) {
                return greeting(greeting);
            }
            throw malformed("JSON object is no QMP greeting, reply or event", buf, offset, length, null);
        } catch (IOException e) {
            throw malformed("invalid JSON (" + LogText.safe(firstLine(e.getMessage())) + ")", buf, offset, length, e);
        } finally {
            if (!whole) {
                reset(); // its state is somewhere inside the bad line
            }
        }
    }

    /** Hands one line to the stream's parser, starting one when there is none. */
    private JsonParser feed(byte[] buf, int offset, int length) throws IOException {
        if (stream == null) {
            stream = factory.createNonBlockingByteArrayParser();
            fed = 0;
        }
        ((ByteArrayFeeder) stream.getNonBlockingInputFeeder()).feedInput(buf, offset, offset + length);
        fed += length;
        return stream;
    }

    private void reset() {
        if (stream != null) {
            try {
                stream.close();
            } catch (IOException ignored) {
                // a parser over memory: nothing to release but buffers
            }
            stream = null;
        }
    }

    public QmpMessage parse(String line) throws QmpParseException {
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        return parse(b, 0, b.length);
    }

    /**
     * The current value's bytes (copied: the read buffer is reused); the parser is left on the value's last
     * token. {@code base} is what the parser had read before this line.
     */
    private static byte[] slice(JsonParser p, byte[] buf, int offset, long base) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        JsonToken first = p.currentToken();
        // The non-blocking parser's locations may stand one byte past a value's first byte, and past the
        // delimiter that ended a number: both are put right from what the bytes there must be.
        int from = (int) (p.currentTokenLocation().getByteOffset() - base);
        if (from > 0 && !isSpaceOrColon(buf[offset + from - 1])) {
            from--;
        }
        p.skipChildren();
        p.finishToken();
        int to = (int) (p.currentLocation().getByteOffset() - base);
        byte last = switch (first) {
            case START_OBJECT -> '}';
            case START_ARRAY -> ']';
            case VALUE_STRING -> '"';
            default -> 0;
        };
        while (to > from + 1 && (last != 0 ? buf[offset + to - 1] != last : !isScalarByte(buf[offset + to - 1]))) {
            to--;
        }
        return Arrays.copyOfRange(buf, offset + from, offset + to);
    }

    private static boolean isSpaceOrColon(byte b) {
        return b == ':' || b == ' ' || b == '\t' || b == '\r' || b == '\n';
    }

    /** A byte a number or a literal (true, false, null) can end with. */
    private static boolean isScalarByte(byte b) {
        return b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b == '.';
    }

    private static QemuTimestamp readTimestamp(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return QemuTimestamp.UNKNOWN;
        }
        long seconds = -1;
        long micros = -1;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            p.nextToken();
            if ("seconds".equals(f)) {
                seconds = p.getValueAsLong(-1);
            } else if ("microseconds".equals(f)) {
                micros = p.getValueAsLong(-1);
            } else {
                p.skipChildren();
            }
        }
        boolean valid = seconds >= 0 && seconds <= MAX_SECONDS && micros >= 0 && micros <= 999_999;
        // QEMU sends -1/-1 when its clock failed; anything else out of range is not believed either.
        return valid ? new QemuTimestamp(seconds, micros) : QemuTimestamp.UNKNOWN;
    }

    /** QMP event names: upper case letters, digits and '_' in QEMU; '-' and '.' tolerated; bounded length. */
    static boolean isEventName(String name) {
        int n = name.length();
        if (n == 0 || n > MAX_EVENT_NAME) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = name.charAt(i);
            boolean ok = c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-'
                    || c == '.';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private Object readId(JsonParser p, JsonToken value, byte[] buf, int offset, long base) throws IOException {
        return switch (value) {
            case VALUE_NUMBER_INT -> p.getLongValue();
            case VALUE_STRING -> p.getText();
            case VALUE_NULL -> null;
            default -> tree(slice(p, buf, offset, base));
        };
    }

    /** A value the stream parser cannot build (it has no codec): read from its bytes. Rare: greetings, odd ids. */
    private JsonNode tree(byte[] value) throws IOException {
        return value == null ? mapper.nullNode() : mapper.readTree(value);
    }

    private QmpMessage.Greeting greeting(JsonNode qmp) {
        List<String> caps = new ArrayList<>();
        qmp.path("capabilities").forEach(c -> caps.add(c.asText()));
        JsonNode version = qmp.get("version");
        return new QmpMessage.Greeting(version == null ? mapper.nullNode() : version, caps);
    }

    private static QmpParseException malformed(String reason, byte[] buf, int offset, int length, Throwable cause) {
        return new QmpParseException(reason, snippet(buf, offset, length), cause);
    }

    /** The start of a line, with control characters escaped, for a log line an operator can read. */
    public static String snippet(byte[] buf, int offset, int length) {
        String s = new String(buf, offset, Math.min(length, SNIPPET_CHARS * 4), StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length() && out.length() < SNIPPET_CHARS; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\x%02x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (length > out.length()) {
            out.append("…");
        }
        return "'" + out + "'";
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
