package io.qeventd.runtime.record;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/** A recorded QMP stream: the lines of a file {@code qeventd record} wrote, in order. */
public record Recording(Path file, List<RecordedLine> lines) {
    static final ObjectMapper MAPPER = new ObjectMapper();

    public Recording {
        lines = List.copyOf(lines);
    }

    /** Reads a recording; a line that is not one of ours is an error naming the file and line. */
    public static Recording read(Path file) throws IOException {
        List<RecordedLine> lines = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int number = 0;
            for (String text = r.readLine(); text != null; text = r.readLine()) {
                number++;
                if (!text.isBlank()) {
                    lines.add(parse(file, number, text));
                }
            }
        }
        Recording recording = new Recording(file, lines);
        if (recording.greeting() == null) {
            throw new RecordingFormatException(file + ": no QMP greeting: the first line QEMU sent must be in the"
                    + " recording (record it with 'qeventd record')");
        }
        return recording;
    }

    private static RecordedLine parse(Path file, int number, String text) {
        String where = file + ":" + number + ": ";
        JsonNode node;
        try {
            node = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new RecordingFormatException(where + "not JSON: " + e.getOriginalMessage());
        }
        return fromJson(where, node);
    }

    /**
     * A line from its JSON object ({@code {"at", "from", "qmp"}}).
     *
     * @param where the prefix of an error message, naming where the line came from
     * @throws RecordingFormatException when it is not a recorded line
     */
    static RecordedLine fromJson(String where, JsonNode node) {
        if (!node.isObject() || !node.path("qmp").isObject() || !node.path("at").isTextual()) {
            throw new RecordingFormatException(where + "expected {\"at\":TIME,\"from\":\"qemu\"|\"client\",\"qmp\":{…}}");
        }
        RecordedLine.From from;
        switch (node.path("from").asText()) {
            case "qemu" -> from = RecordedLine.From.QEMU;
            case "client" -> from = RecordedLine.From.CLIENT;
            default -> throw new RecordingFormatException(where + "\"from\" must be \"qemu\" or \"client\", got "
                    + node.path("from"));
        }
        try {
            return new RecordedLine(Instant.parse(node.get("at").asText()), from, node.get("qmp"));
        } catch (DateTimeParseException e) {
            throw new RecordingFormatException(where + "\"at\" is not an ISO-8601 instant: " + node.get("at"));
        }
    }

    /** The JSON line for {@code line}. */
    public static String toJson(RecordedLine line) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("at", line.at().toString());
        o.put("from", line.from().fileName());
        o.set("qmp", line.qmp());
        return o.toString();
    }

    /** QEMU's greeting, or null. */
    public JsonNode greeting() {
        return lines.stream().filter(RecordedLine::isGreeting).map(RecordedLine::qmp).findFirst().orElse(null);
    }

    public List<RecordedLine> events() {
        return lines.stream().filter(RecordedLine::isEvent).toList();
    }
}
