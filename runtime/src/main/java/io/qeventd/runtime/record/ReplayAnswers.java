package io.qeventd.runtime.record;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * The recorded replies, to answer a replayed client's commands: each recorded command paired with the reply QEMU
 * gave it. A command is answered by an unused pair with the same name and arguments, else by one with the same name
 * (the arguments of a query often differ only in what the recording cannot know), else with an error saying the
 * recording has no answer. The pairs recorded between the event played last and the next one answer first, each once
 * and in order: QEMU's state after that event. Outside them, the nearest pair recorded before (else after) answers,
 * and stays for its own event.
 */
final class ReplayAnswers {
    private record Pair(int index, String command, JsonNode arguments, JsonNode reply) {
    }

    private final List<Pair> unused = new ArrayList<>();
    private final List<Pair> all;
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
                    unused.add(new Pair(i, cmd.command(), cmd.arguments(empty), r.qmp()));
                    break;
                }
            }
        }
        all = List.copyOf(unused);
    }

    /** How many commands the recorded client sent between line {@code from} and line {@code to}. */
    synchronized int commandsBetween(int from, int to) {
        return (int) all.stream().filter(p -> p.index() > from && p.index() < to).count();
    }

    /**
     * The reply for {@code command} (without its id), or an error reply when the recording has none.
     *
     * @param lastEvent the recording's line index of the event played last, -1 before the first
     * @param nextEvent the line index of the event to be played next (the number of lines after the last)
     */
    synchronized ObjectNode answer(String command, JsonNode arguments, int lastEvent, int nextEvent) {
        JsonNode args = arguments == null || arguments.isNull() ? empty : arguments;
        Predicate<Pair> exact = p -> p.command().equals(command) && p.arguments().equals(args);
        Predicate<Pair> sameName = p -> p.command().equals(command);
        Pair found = takeInWindow(exact, lastEvent, nextEvent);
        if (found == null) {
            found = takeInWindow(sameName, lastEvent, nextEvent);
        }
        if (found == null) {
            found = nearest(exact, lastEvent);
        }
        if (found == null) {
            found = nearest(sameName, lastEvent);
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

    private Pair takeInWindow(Predicate<Pair> match, int lastEvent, int nextEvent) {
        for (Pair p : unused) {
            if (p.index() > lastEvent && p.index() < nextEvent && match.test(p)) {
                unused.remove(p);
                return p;
            }
        }
        return null;
    }

    private Pair nearest(Predicate<Pair> match, int lastEvent) {
        Pair before = null;
        Pair after = null;
        for (Pair p : all) {
            if (match.test(p)) {
                if (p.index() < lastEvent) {
                    before = p;
                } else if (after == null) {
                    after = p;
                }
            }
        }
        return before != null ? before : after;
    }
}
