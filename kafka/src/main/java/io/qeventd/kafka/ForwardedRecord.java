package io.qeventd.kafka;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.qeventd.runtime.journal.JournalJson;
import io.qeventd.runtime.journal.JournalRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * One journal record as it travels to Kafka: the journal's JSON with the event's data, followed by {@code host}
 * and {@code id}; keyed by {@code HOST/DOMAIN} so that one partition carries each domain's records in order.
 *
 * <p>The id names the record across resends, for a consumer that drops duplicates:
 * {@code HOST/DOMAIN/CONNECTION/SEQ/EVENT/PLUGIN/TYPE/OUTCOME} ({@code -} for what a record lacks). A record of
 * no connection (a summary such as {@code journal/lost}) has its time in microseconds since the epoch in place
 * of {@code SEQ}.
 *
 * @param key   the Kafka key, {@code HOST/DOMAIN}, or {@code HOST} for a record of no domain
 * @param id    the stable id, also sent as the {@value #ID_HEADER} header
 * @param value the Kafka value: one JSON object, UTF-8, no line end
 */
public record ForwardedRecord(String key, String id, byte[] value) {
    /** The Kafka header that carries the record's id. */
    public static final String ID_HEADER = "qeventd.id";
    private static final JsonFactory JSON = new JsonFactory();
    private static final String NONE = "-";

    /** The record as forwarded from {@code host}. */
    public static ForwardedRecord of(JournalRecord r, String host) {
        return of(r, host, null);
    }

    /**
     * The record as forwarded from {@code host}; {@code dropped}, when not null, is written as a number field of
     * that name (the spool's overflow summary).
     */
    static ForwardedRecord of(JournalRecord r, String host, Long dropped) {
        String id = id(r, host);
        String json = JournalJson.toJson(r, true);
        StringBuilder b = new StringBuilder(json.length() + id.length() + host.length() + 48);
        // JournalJson writes one object: its fields, then ours before the closing brace.
        b.append(json, 0, json.length() - 1);
        b.append(",\"host\":\"").append(JsonStringEncoder.getInstance().quoteAsString(host)).append('"');
        b.append(",\"id\":\"").append(JsonStringEncoder.getInstance().quoteAsString(id)).append('"');
        if (dropped != null) {
            b.append(",\"dropped\":").append(dropped.longValue());
        }
        b.append('}');
        return new ForwardedRecord(key(host, r.domain()), id, b.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The Kafka key of a record of {@code domain} (null for none) from {@code host}. */
    public static String key(String host, String domain) {
        return domain == null ? host : host + "/" + domain;
    }

    /** The stable id of {@code r} forwarded from {@code host}. */
    public static String id(JournalRecord r, String host) {
        String seq = r.connection() != 0 ? Long.toString(r.seq())
                : Long.toString(ChronoUnit.MICROS.between(Instant.EPOCH, r.time()));
        return String.join("/", host, orNone(r.domain()), Long.toString(r.connection()), seq, orNone(r.event()),
                orNone(r.plugin()), orNone(r.type()), r.outcome().journalName());
    }

    /**
     * Reads back a value written by {@link #of}: its key and id come from its {@code host}, {@code domain} and
     * {@code id} fields (the spool keeps values only).
     *
     * @throws IllegalArgumentException when {@code value} is not such a record
     */
    public static ForwardedRecord parse(byte[] value) {
        String host = null;
        String domain = null;
        String id = null;
        try (JsonParser p = JSON.createParser(value)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                switch (name) {
                    case "host" -> host = p.getValueAsString();
                    case "domain" -> domain = t == JsonToken.VALUE_NULL ? null : p.getValueAsString();
                    case "id" -> id = p.getValueAsString();
                    default -> p.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("not a forwarded record: " + e.getMessage(), e);
        }
        if (host == null || id == null) {
            throw new IllegalArgumentException("not a forwarded record: no host or id field");
        }
        return new ForwardedRecord(key(host, domain), id, value);
    }

    private static String orNone(String s) {
        return s == null ? NONE : s;
    }
}
