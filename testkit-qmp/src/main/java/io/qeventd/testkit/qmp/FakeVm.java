package io.qeventd.testkit.qmp;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * The little of a virtual machine the built-in commands need: whether it runs. Events and replies
 * follow QEMU 7.2: {@code stop} on a paused VM and {@code cont} on a running one change nothing and emit
 * nothing.
 */
final class FakeVm {

    private boolean running;

    FakeVm(boolean running) {
        this.running = running;
    }

    /** The built-in answer for {@code received}, or empty when the command is not built in. */
    synchronized Optional<Answer> answer(ReceivedCommand received) {
        String command = received.command();
        if (!List.of("query-status", "stop", "cont", "system_reset", "quit").contains(command)) {
            return Optional.empty();
        }
        Iterator<String> unexpected = received.arguments().fieldNames();
        if (unexpected.hasNext()) {
            return Optional.of(Answer.of(Reply.error("GenericError", "Parameter '" + unexpected.next() + "' is unexpected")));
        }
        Instant now = Instant.now();
        return Optional.of(switch (command) {
            case "query-status" -> Answer.of(Reply.ok(status()));
            case "stop" -> changeRunning(false, "STOP", now);
            case "cont" -> changeRunning(true, "RESUME", now);
            case "system_reset" -> Answer.withEvents(
                    List.of(QmpLines.event("RESET", reason("host-qmp-system-reset"), now)), Reply.ok());
            case "quit" -> new Answer(
                    List.of(QmpLines.event("SHUTDOWN", reason("host-qmp-quit"), now)), Reply.ok(), true);
            default -> throw new IllegalStateException("built-in command without an answer: " + command);
        });
    }

    private Answer changeRunning(boolean nowRunning, String event, Instant now) {
        if (running == nowRunning) {
            return Answer.of(Reply.ok());
        }
        running = nowRunning;
        return Answer.withEvents(List.of(QmpLines.event(event, null, now)), Reply.ok());
    }

    private ObjectNode status() {
        return QmpLines.MAPPER.createObjectNode()
                .put("status", running ? "running" : "paused")
                .put("singlestep", false)
                .put("running", running);
    }

    private static ObjectNode reason(String reason) {
        return QmpLines.MAPPER.createObjectNode().put("guest", false).put("reason", reason);
    }
}
