package io.qeventd.runtime.journal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;

/**
 * A journal record as JSON: the one spelling of the journal's fields, shared by the journal file and whatever
 * else hands records on (the live stream, forwarders). Field order is fixed; README's journal section lists it.
 */
public final class JournalJson {
    private static final JsonFactory JSON = new JsonFactory();

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
        g.writeStringField("time", DateTimeFormatter.ISO_INSTANT.format(r.time()));
        g.writeStringField("domain", r.domain());
        g.writeStringField("event", r.event());
        g.writeFieldName("qemuTime");
        if (r.qemuTime() != null && r.qemuTime().isKnown()) {
            g.writeNumber(r.qemuTime().toString());
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

    private static void writeLong(JsonGenerator g, String name, Long v) throws IOException {
        g.writeFieldName(name);
        if (v == null) {
            g.writeNull();
        } else {
            g.writeNumber(v);
        }
    }
}
