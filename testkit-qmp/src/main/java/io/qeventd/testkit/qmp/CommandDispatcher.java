package io.qeventd.testkit.qmp;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides the answer to a command, in this order: capabilities negotiation (refusing everything else
 * until it is done, as QEMU does), the script while it has steps, responders, built-ins, and finally
 * CommandNotFound.
 */
final class CommandDispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(CommandDispatcher.class);

    static final String CAPABILITIES = "qmp_capabilities";

    private final Map<String, Function<JsonNode, Reply>> responders = new ConcurrentHashMap<>();
    private final CommandScript script;
    private final FakeVm vm;

    CommandDispatcher(CommandScript script, FakeVm vm) {
        this.script = script;
        this.vm = vm;
    }

    void respond(String command, Function<JsonNode, Reply> responder) {
        responders.put(command, responder);
    }

    Answer answer(ReceivedCommand received, boolean negotiated) {
        try {
            return decide(received, negotiated);
        } catch (RuntimeException e) {
            // A server bug must not end the accept thread: answer, and let verify() report it.
            LOG.error("answering {} failed", received.rawLine(), e);
            script.fail("answering " + received.rawLine() + " failed: " + e);
            return Answer.of(Reply.error("GenericError", "fake QMP server failed: " + e));
        }
    }

    private Answer decide(ReceivedCommand received, boolean negotiated) {
        String command = received.command();
        Function<JsonNode, Reply> responder = responders.get(command);
        if (command.equals(CAPABILITIES)) {
            if (responder != null) {
                return Answer.of(call(responder, received));
            }
            return Answer.of(negotiated
                    ? Reply.error("CommandNotFound", "Capabilities negotiation is already complete, command ignored")
                    : Reply.ok());
        }
        if (!negotiated) {
            return Answer.of(Reply.error("CommandNotFound", "Expecting capabilities negotiation with 'qmp_capabilities'"));
        }
        Optional<Answer> scripted = script.answer(received);
        if (scripted.isPresent()) {
            return scripted.get();
        }
        if (responder != null) {
            return Answer.of(call(responder, received));
        }
        return vm.answer(received).orElseGet(() ->
                Answer.of(Reply.error("CommandNotFound", "The command " + command + " has not been found")));
    }

    /** A responder that throws or returns null is a test bug: recorded for verify(), answered as GenericError. */
    private Reply call(Function<JsonNode, Reply> responder, ReceivedCommand received) {
        String failure;
        try {
            Reply reply = responder.apply(received.arguments());
            if (reply != null) {
                return reply;
            }
            failure = "responder for '" + received.command() + "' returned null";
        } catch (RuntimeException e) {
            failure = "responder for '" + received.command() + "' threw " + e;
        }
        script.fail(failure + " (command: " + received.rawLine() + ")");
        return Reply.error("GenericError", failure);
    }
}
