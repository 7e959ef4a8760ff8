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
    private static volatile SecondText lastSecond = new SecondText(Long.MIN_VALUE, "");
    /** Seconds of 9999-12-31T23:59:59Z: later years are written with a sign, left to the JDK. */
    private static final long LAST_PLAIN_SECOND = 253_402_300_799L;

    private record SecondText(long second, String text) {
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
        g.writeStringField("time", isoInstant(r.time()));
        g.writeStringField("domain", r.domain());
        g.writeStringField("event", r.event());
        g.writeFieldName("qemuTime");
        if (r.qemuTime() != null && r.qemuTime().isKnown()) {
            g.writeNumber(qemuTime(r.qemuTime().seconds(), r.qemuTime().microseconds()));
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

    /**
     * What {@link DateTimeFormatter#ISO_INSTANT} writes, without formatting the date and time of day again for
     * every record of the same second: the fraction in groups of three digits, none when zero.
     */
    static String isoInstant(Instant t) {
        long second = t.getEpochSecond();
        if (second < 0 || second > LAST_PLAIN_SECOND) {
            return DateTimeFormatter.ISO_INSTANT.format(t);
        }
        SecondText s = lastSecond;
        if (s.second() != second) {
            String full = DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochSecond(second));
            s = new SecondText(second, full.substring(0, full.length() - 1)); // without its 'Z'
            lastSecond = s;
        }
        int nanos = t.getNano();
        StringBuilder b = new StringBuilder(s.text().length() + 11).append(s.text());
        if (nanos != 0) {
            int digits;
            int value;
            if (nanos % 1_000_000 == 0) {
                digits = 3;
                value = nanos / 1_000_000;
            } else if (nanos % 1000 == 0) {
                digits = 6;
                value = nanos / 1000;
            } else {
                digits = 9;
                value = nanos;
            }
            b.append('.');
            appendPadded(b, value, digits);
        }
        return b.append('Z').toString();
    }

    /** QEMU's timestamp as a JSON number, seconds and six digits of microseconds ({@code 1795638841.000042}). */
    static String qemuTime(long seconds, long micros) {
        StringBuilder b = new StringBuilder(20).append(seconds).append('.');
        appendPadded(b, (int) micros, 6);
        return b.toString();
    }

    private static void appendPadded(StringBuilder b, int value, int digits) {
        for (int d = digits - 1, scale = pow10(d); d >= 0; d--, scale /= 10) {
            b.append((char) ('0' + value / scale % 10));
        }
    }

    private static int pow10(int n) {
        int p = 1;
        for (int i = 0; i < n; i++) {
            p *= 10;
        }
        return p;
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
