package io.qeventd.runtime.journal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A journal record as JSON: the one spelling of the journal's fields, shared by the journal file and whatever
 * else hands records on (the live stream, forwarders). Field order is fixed; README's journal section lists it.
 */
public final class JournalJson {
    private static final JsonFactory JSON = new JsonFactory();
    private static final SerializedString TIME = new SerializedString("time");
    private static final SerializedString DOMAIN = new SerializedString("domain");
    private static final SerializedString EVENT = new SerializedString("event");
    private static final SerializedString QEMU_TIME = new SerializedString("qemuTime");
    private static final SerializedString PLUGIN = new SerializedString("plugin");
    private static final SerializedString PLUGIN_VERSION = new SerializedString("pluginVersion");
    private static final SerializedString TYPE = new SerializedString("type");
    private static final SerializedString OUTCOME = new SerializedString("outcome");
    private static final SerializedString LATENCY = new SerializedString("latencyMicros");
    private static final SerializedString PROCESSING = new SerializedString("processingMicros");
    private static final SerializedString ERROR = new SerializedString("error");
    private static final SerializedString ACTIONS = new SerializedString("actions");
    private static final SerializedString CONNECTION = new SerializedString("connection");
    private static final SerializedString SEQ = new SerializedString("seq");
    private static final int MAX_NAMES = 4096;
    private static final Map<String, SerializedString> NAMES = new ConcurrentHashMap<>();
    /** The last second formatted ({@code 2026-12-02T10:00:00}): records come many to a second. */
    private static volatile SecondText lastSecond = new SecondText(Long.MIN_VALUE, new char[0]);
    /** Seconds of 9999-12-31T23:59:59Z: later years are written with a sign, left to the JDK. */
    private static final long LAST_PLAIN_SECOND = 253_402_300_799L;

    /** Room to spell a time in, per thread: records are written many to a second, each without garbage. */
    private static final ThreadLocal<char[]> SCRATCH = ThreadLocal.withInitial(() -> new char[48]);

    private record SecondText(long second, char[] text) {
    }

    private JournalJson() {
    }

    /** The record as one line of JSON (no line end); with {@code data}, the event's data as QEMU sent it. */
    public static String toJson(JournalRecord r, boolean data) {
        StringWriter sw = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(sw)) {
            write(g, r, data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sw.toString();
    }

    /**
     * Writes the record as one JSON object. {@code connection} and {@code seq} appear on records of an event
     * (not on journal summaries); {@code data} only when asked, and then null when the event had none.
     */
    public static void write(JsonGenerator g, JournalRecord r, boolean data) throws IOException {
        g.writeStartObject();
        g.writeFieldName(TIME);
        char[] scratch = SCRATCH.get();
        int n = isoInstant(r.time(), scratch);
        if (n < 0) {
            g.writeString(DateTimeFormatter.ISO_INSTANT.format(r.time()));
        } else {
            g.writeString(scratch, 0, n);
        }
        writeName(g, DOMAIN, r.domain());
        writeName(g, EVENT, r.event());
        g.writeFieldName(QEMU_TIME);
        if (r.qemuTime() != null && r.qemuTime().isKnown()) {
            g.writeNumber(scratch, 0, qemuTime(r.qemuTime().seconds(), r.qemuTime().microseconds(), scratch));
        } else {
            g.writeNull();
        }
        writeName(g, PLUGIN, r.plugin());
        writeName(g, PLUGIN_VERSION, r.pluginVersion());
        writeName(g, TYPE, r.type());
        writeName(g, OUTCOME, r.outcome().journalName());
        writeLong(g, LATENCY, r.latencyMicros());
        writeLong(g, PROCESSING, r.processingMicros());
        g.writeFieldName(ERROR);
        g.writeString(r.error());
        g.writeFieldName(ACTIONS);
        g.writeStartArray();
        for (String a : r.actions()) {
            g.writeString(a);
        }
        g.writeEndArray();
        if (r.connection() != 0) {
            g.writeFieldName(CONNECTION);
            g.writeNumber(r.connection());
            g.writeFieldName(SEQ);
            g.writeNumber(r.seq());
        }
        if (data) {
            g.writeFieldName("data");
            if (r.data() == null) {
                g.writeNull();
            } else {
                g.writeRawValue(new String(r.data(), StandardCharsets.UTF_8));
            }
        }
        g.writeEndObject();
    }

    /**
     * A value that repeats from record to record (a domain, an event, a plugin and its version, a type, an
     * outcome), written from its UTF-8 bytes encoded once. The cache is bounded: past it, values are encoded
     * each time as any other string (QEMU chooses event names, and may choose many).
     */
    private static void writeName(JsonGenerator g, SerializedString field, String value) throws IOException {
        g.writeFieldName(field);
        if (value == null) {
            g.writeNull();
            return;
        }
        SerializedString encoded = NAMES.get(value);
        if (encoded == null) {
            if (NAMES.size() >= MAX_NAMES) {
                g.writeString(value);
                return;
            }
            encoded = NAMES.computeIfAbsent(value, SerializedString::new);
        }
        g.writeString(encoded);
    }

    /** What {@link DateTimeFormatter#ISO_INSTANT} writes for {@code t}. */
    static String isoInstant(Instant t) {
        char[] scratch = new char[48];
        int n = isoInstant(t, scratch);
        return n < 0 ? DateTimeFormatter.ISO_INSTANT.format(t) : new String(scratch, 0, n);
    }

    /**
     * Spells {@code t} into {@code out} as {@link DateTimeFormatter#ISO_INSTANT} does, without formatting the date
     * and time of day again for every record of the same second: the fraction in groups of three digits, none
     * when zero. Returns the length, or -1 for years past 9999 (written with a sign; left to the JDK).
     */
    static int isoInstant(Instant t, char[] out) {
        long second = t.getEpochSecond();
        if (second < 0 || second > LAST_PLAIN_SECOND) {
            return -1;
        }
        SecondText s = lastSecond;
        if (s.second() != second) {
            String full = DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochSecond(second));
            s = new SecondText(second, full.substring(0, full.length() - 1).toCharArray()); // without its 'Z'
            lastSecond = s;
        }
        char[] text = s.text();
        System.arraycopy(text, 0, out, 0, text.length);
        int n = text.length;
        int nanos = t.getNano();
        if (nanos != 0) {
            out[n++] = '.';
            if (nanos % 1_000_000 == 0) {
                n = padded(out, n, nanos / 1_000_000, 3);
            } else if (nanos % 1000 == 0) {
                n = padded(out, n, nanos / 1000, 6);
            } else {
                n = padded(out, n, nanos, 9);
            }
        }
        out[n++] = 'Z';
        return n;
    }

    /** QEMU's timestamp as a JSON number, seconds and six digits of microseconds ({@code 1795638841.000042}). */
    static String qemuTime(long seconds, long micros) {
        char[] out = new char[48];
        return new String(out, 0, qemuTime(seconds, micros, out));
    }

    static int qemuTime(long seconds, long micros, char[] out) {
        String s = Long.toString(seconds);
        s.getChars(0, s.length(), out, 0);
        int n = s.length();
        out[n++] = '.';
        return padded(out, n, (int) micros, 6);
    }

    /** Writes {@code value} in {@code digits} digits, zero-padded, at {@code at}; returns the end. */
    private static int padded(char[] out, int at, int value, int digits) {
        for (int i = at + digits - 1; i >= at; i--) {
            out[i] = (char) ('0' + value % 10);
            value /= 10;
        }
        return at + digits;
    }

    private static void writeLong(JsonGenerator g, SerializedString name, Long v) throws IOException {
        g.writeFieldName(name);
        if (v == null) {
            g.writeNull();
        } else {
            g.writeNumber(v);
        }
    }
}
