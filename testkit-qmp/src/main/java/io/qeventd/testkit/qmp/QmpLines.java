package io.qeventd.testkit.qmp;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * QMP messages written the way QEMU 7.2 writes them: its key order ({@code "id"} first in errors,
 * last in returns; {@code "timestamp"} first in events) and its {@code ", "} / {@code ": "} spacing.
 * Lines are returned without their line ending.
 */
public final class QmpLines {

    /** Shared by the fake server for parsing commands and serialising values; configured once, thread safe. */
    static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private static final ObjectWriter WRITER = MAPPER.writer(new QemuSpacing());

    private QmpLines() {
    }

    /** The greeting QEMU sends on accept, offering the {@code oob} capability. */
    public static String greeting(int major, int minor, int micro, String packageName) {
        ObjectNode qemu = MAPPER.createObjectNode().put("micro", micro).put("minor", minor).put("major", major);
        ObjectNode version = MAPPER.createObjectNode();
        version.set("qemu", qemu);
        version.put("package", packageName);
        ObjectNode qmp = MAPPER.createObjectNode();
        qmp.set("version", version);
        qmp.putArray("capabilities").add("oob");
        ObjectNode greeting = MAPPER.createObjectNode();
        greeting.set("QMP", qmp);
        return write(greeting);
    }

    /**
     * An event line. {@code data} is serialised by Jackson (a {@link JsonNode} is taken as is) and left
     * out when null, as QEMU leaves it out for events without data.
     */
    public static String event(String name, Object data, long seconds, long micros) {
        ObjectNode timestamp = MAPPER.createObjectNode().put("seconds", seconds).put("microseconds", micros);
        ObjectNode event = MAPPER.createObjectNode();
        event.set("timestamp", timestamp);
        event.put("event", name);
        if (data != null) {
            event.set("data", toJson(data));
        }
        return write(event);
    }

    static String event(String name, Object data, Instant at) {
        return event(name, data, at.getEpochSecond(), at.getNano() / 1_000L);
    }

    /** A success reply; {@code id} is left out when it is a missing node, as for a command sent without one. */
    static String returnLine(JsonNode value, JsonNode id) {
        ObjectNode reply = MAPPER.createObjectNode();
        reply.set("return", value);
        if (!id.isMissingNode()) {
            reply.set("id", id);
        }
        return write(reply);
    }

    static String errorLine(String errorClass, String desc, JsonNode id) {
        ObjectNode reply = MAPPER.createObjectNode();
        if (!id.isMissingNode()) {
            reply.set("id", id);
        }
        reply.putObject("error").put("class", errorClass).put("desc", desc);
        return write(reply);
    }

    /** Jackson's tree of any value; a {@link JsonNode} passes through unchanged. */
    static JsonNode toJson(Object value) {
        if (value instanceof JsonNode node) {
            return node;
        }
        if (value == null) {
            return MAPPER.nullNode();
        }
        return MAPPER.valueToTree(value);
    }

    private static String write(JsonNode node) {
        try {
            return WRITER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot serialise QMP message " + node, e);
        }
    }

    /** Single-line output with a space after every ':' and ',' (QEMU's own JSON writer does the same). */
    private static final class QemuSpacing extends MinimalPrettyPrinter {
        @Override
        public void writeObjectFieldValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw(": ");
        }

        @Override
        public void writeObjectEntrySeparator(JsonGenerator g) throws IOException {
            g.writeRaw(", ");
        }

        @Override
        public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw(", ");
        }
    }
}
