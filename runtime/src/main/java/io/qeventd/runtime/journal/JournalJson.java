package io.qeventd.runtime.journal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;

/**
 * A journal record as JSON: the one spelling of the journal's fields, shared by the journal file and whatever
 * else hands records on (the live stream, forwarders). Field order is fixed; README's journal section lists it.
 */
public final class JournalJson {
    private static final JsonFactory JSON = new JsonFactory();
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
        g.writeFieldName("time");
        char[] scratch = SCRATCH.get();
        int n = isoInstant(r.time(), scratch);
        if (n < 0) {
            g.writeString(DateTimeFormatter.ISO_INSTANT.format(r.time()));
        } else {
            g.writeString(scratch, 0, n);
        }
        g.writeStringField("domain", r.domain());
        g.writeStringField("event", r.event());
        g.writeFieldName("qemuTime");
        if (r.qemuTime() != null && r.qemuTime().isKnown()) {
            g.writeNumber(scratch, 0, qemuTime(r.qemuTime().seconds(), r.qemuTime().microseconds(), scratch));
        } else {
            g.writeNull();
        }
        g.writeStringField("plugin", r.plugin());
        g.writeStringField("pluginVersion", r.pluginVersion());
        g.writeStringField("type", r.type());
        g.writeStringField("outcome", r.outcome().journalName());
        writeLong(g, "latencyMicros", r.latencyMicros());
        writeLong(g, "processingMicros", r.processingMicros());
        g.writeStringField("error", r.error());
        g.writeArrayFieldStart("actions");
        for (String a : r.actions()) {
            g.writeString(a);
        }
        g.writeEndArray();
        if (r.connection() != 0) {
            g.writeNumberField("connection", r.connection());
            g.writeNumberField("seq", r.seq());
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

    private static void writeLong(JsonGenerator g, String name, Long v) throws IOException {
        g.writeFieldName(name);
        if (v == null) {
            g.writeNull();
        } else {
            g.writeNumber(v);
        }
    }
}
