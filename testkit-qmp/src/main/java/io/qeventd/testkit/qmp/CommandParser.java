package io.qeventd.testkit.qmp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.Iterator;
import java.util.Set;

/** Reads one client line (one JSON object per line) into a command, checking what QEMU checks. */
final class CommandParser {

    private static final Set<String> MEMBERS = Set.of("execute", "arguments", "id");

    private CommandParser() {
    }

    static ReceivedCommand parse(String line, int client) throws InvalidCommandException {
        JsonNode message;
        try {
            message = QmpLines.MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            throw new InvalidCommandException("JSON parse error, " + e.getOriginalMessage(), MissingNode.getInstance());
        }
        if (message == null || !message.isObject()) {
            throw new InvalidCommandException("QMP input must be a JSON object", MissingNode.getInstance());
        }
        JsonNode id = message.path("id");
        for (Iterator<String> names = message.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!MEMBERS.contains(name)) {
                throw new InvalidCommandException("QMP input member '" + name + "' is unexpected", id);
            }
        }
        JsonNode execute = message.get("execute");
        if (execute == null) {
            throw new InvalidCommandException("QMP input lacks member 'execute'", id);
        }
        if (!execute.isTextual()) {
            throw new InvalidCommandException("QMP input member 'execute' must be a string", id);
        }
        JsonNode arguments = message.get("arguments");
        if (arguments == null) {
            arguments = QmpLines.MAPPER.createObjectNode();
        } else if (!arguments.isObject()) {
            throw new InvalidCommandException("QMP input member 'arguments' must be an object", id);
        }
        return new ReceivedCommand(client, execute.asText(), arguments, id, line);
    }
}
