package io.qeventd.testkit.qmp;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The ordered list of commands a test expects, each with its reply, and the failures seen so far.
 * While steps remain, every command must be the next step's; an empty script lets commands through to
 * responders and built-ins.
 */
final class CommandScript {

    /** An event written just before the step's reply; {@code data} null when the event has none. */
    record ScriptedEvent(String name, JsonNode data) {
    }

    record Step(String command, Optional<JsonNode> arguments, List<ScriptedEvent> events, Reply reply) {
    }

    private final Deque<Step> steps = new ArrayDeque<>();
    private final Set<ExpectedCommand> withoutReply = new LinkedHashSet<>();
    private final List<String> failures = new ArrayList<>();

    synchronized ExpectedCommand expect(String command) {
        ExpectedCommand expected = new ExpectedCommand(this, command);
        withoutReply.add(expected);
        return expected;
    }

    synchronized void append(ExpectedCommand expected, Step step) {
        withoutReply.remove(expected);
        steps.addLast(step);
    }

    /** The scripted answer, or empty when the script has run out. */
    synchronized Optional<Answer> answer(ReceivedCommand received) {
        Step next = steps.peekFirst();
        if (next == null) {
            return Optional.empty();
        }
        if (!next.command().equals(received.command())) {
            // The step stays: verify() then names both the intruder and what never came.
            String problem = "unexpected command '" + received.command() + "' from client " + received.client()
                    + " while the script expects '" + next.command() + "': " + received.rawLine();
            failures.add(problem);
            return Optional.of(Answer.of(Reply.error("GenericError", problem)));
        }
        steps.removeFirst();
        if (next.arguments().isPresent() && !next.arguments().get().equals(received.arguments())) {
            String problem = "command '" + received.command() + "' has arguments " + received.arguments()
                    + " where the script expects " + next.arguments().get();
            failures.add(problem);
            return Optional.of(Answer.of(Reply.error("GenericError", problem)));
        }
        Instant now = Instant.now();
        List<String> events = next.events().stream()
                .map(event -> QmpLines.event(event.name(), event.data(), now))
                .toList();
        return Optional.of(Answer.withEvents(events, next.reply()));
    }

    synchronized void fail(String problem) {
        failures.add(problem);
    }

    /** Failures in the order they happened, then steps never used, then expectations never given a reply. */
    synchronized List<String> problems() {
        List<String> problems = new ArrayList<>(failures);
        for (Step step : steps) {
            problems.add("scripted command '" + step.command() + "' was never received");
        }
        for (ExpectedCommand expected : withoutReply) {
            problems.add("expect(\"" + expected.command() + "\") was never given a reply, so it was not scripted");
        }
        return problems;
    }
}
