package io.qeventd.runtime.record;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * The recorded replies, to answer a replayed client's commands: each recorded command paired with the reply QEMU
 * gave it. A command is answered by the first unused pair with the same name and arguments, else by the first unused
 * one with the same name (the arguments of a query often differ only in what the recording cannot know), else with
 * an error saying the recording has no answer.
 */
final class ReplayAnswers {
    private record Pair(String command, JsonNode arguments, JsonNode reply) {
    }

    private final List<Pair> unused = new ArrayList<>();
    private final ObjectNode empty = Recording.MAPPER.createObjectNode();

    ReplayAnswers(Recording recording) {
        List<RecordedLine> lines = recording.lines();
        for (int i = 0; i < lines.size(); i++) {
            RecordedLine cmd = lines.get(i);
            if (!cmd.isCommand() || "qmp_capabilities".equals(cmd.command())) {
                continue;
            }
            JsonNode id = cmd.qmp().get("id");
            for (int j = i + 1; j < lines.size(); j++) {
                RecordedLine r = lines.get(j);
                if (r.isReply() && Objects.equals(id, r.qmp().get("id"))) {
                    unused.add(new Pair(cmd.command(), cmd.arguments(empty), r.qmp()));
                    break;
                }
            }
        }
    }

    /** The reply for {@code command} (without its id), or an error reply when the recording has none. */
    synchronized ObjectNode answer(String command, JsonNode arguments) {
        JsonNode args = arguments == null || arguments.isNull() ? empty : arguments;
        Pair found = take(p -> p.command().equals(command) && p.arguments().equals(args));
        if (found == null) {
            found = take(p -> p.command().equals(command));
        }
        if (found == null) {
            ObjectNode e = Recording.MAPPER.createObjectNode();
            e.putObject("error").put("class", "GenericError").put("desc", "qeventd replay: the recording has no"
                    + " (further) reply to " + command + " " + args);
            return e;
        }
        ObjectNode reply = found.reply().deepCopy();
        reply.remove("id");
        return reply;
    }

    private Pair take(java.util.function.Predicate<Pair> match) {
        for (Iterator<Pair> it = unused.iterator(); it.hasNext(); ) {
            Pair p = it.next();
            if (match.test(p)) {
                it.remove();
                return p;
            }
        }
        return null;
    }
}
