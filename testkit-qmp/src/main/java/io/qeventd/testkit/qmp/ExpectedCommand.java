package io.qeventd.testkit.qmp;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One scripted step under construction, from {@link FakeQmpServer#expect(String)}. It joins the script
 * when {@link #reply(Reply)} is called; a step left without a reply is reported by
 * {@link FakeQmpServer#verify()}.
 */
public final class ExpectedCommand {

    private final CommandScript script;
    private final String command;
    private JsonNode arguments;
    private final List<CommandScript.ScriptedEvent> events = new ArrayList<>();
    private boolean queued;

    ExpectedCommand(CommandScript script, String command) {
        this.script = script;
        this.command = Objects.requireNonNull(command, "command");
    }

    /** The command must carry exactly these arguments (compared as JSON); a mismatch is a script failure. */
    public synchronized ExpectedCommand withArguments(Object expected) {
        requireNotQueued();
        this.arguments = QmpLines.toJson(Objects.requireNonNull(expected, "expected"));
        return this;
    }

    /** Writes this event (timestamped when sent) just before the reply, as QEMU does for events a command raises. */
    public synchronized ExpectedCommand thenEvent(String event, Object data) {
        requireNotQueued();
        // Serialised now so that a value Jackson cannot write fails here, not on the server's thread.
        events.add(new CommandScript.ScriptedEvent(Objects.requireNonNull(event, "event"),
                data == null ? null : QmpLines.toJson(data)));
        return this;
    }

    /** Completes the step and appends it to the script. */
    public void reply(Reply reply) {
        Objects.requireNonNull(reply, "reply");
        CommandScript.Step step;
        synchronized (this) {
            requireNotQueued();
            queued = true;
            step = new CommandScript.Step(command, Optional.ofNullable(arguments), List.copyOf(events), reply);
        }
        script.append(this, step);
    }

    String command() {
        return command;
    }

    private void requireNotQueued() {
        if (queued) {
            throw new IllegalStateException("expect(\"" + command + "\") already has its reply");
        }
    }
}
