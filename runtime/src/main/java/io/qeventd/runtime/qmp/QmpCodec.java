package io.qeventd.runtime.qmp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Encodes commands for the wire: {@code {"execute": …, "arguments": …, "id": …}} and a newline. */
public final class QmpCodec {
    private final ObjectMapper mapper;

    public QmpCodec(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * @param arguments a map, a record, a JsonNode or null
     * @throws IllegalArgumentException when the arguments do not serialise to a JSON object
     */
    public byte[] command(String command, Object arguments, long id, boolean outOfBand) {
        ObjectNode msg = mapper.createObjectNode();
        msg.put(outOfBand ? "exec-oob" : "execute", command);
        if (arguments != null) {
            var args = mapper.valueToTree(arguments);
            if (!args.isObject()) {
                throw new IllegalArgumentException("arguments of " + command + " must be a JSON object, got " + args.getNodeType());
            }
            msg.set("arguments", args);
        }
        msg.put("id", id);
        try {
            byte[] json = mapper.writeValueAsBytes(msg);
            byte[] line = new byte[json.length + 1];
            System.arraycopy(json, 0, line, 0, json.length);
            line[json.length] = '\n';
            return line;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot encode " + command + ": " + e.getOriginalMessage(), e);
        }
    }
}
