package io.qeventd.testkit;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qeventd.api.CommandTimeoutException;
import io.qeventd.api.Monitor;
import io.qeventd.api.QmpErrorException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A monitor for processor unit tests: answers each command from what the test gave it, converts the answer as the
 * daemon's monitor does (Jackson, unknown fields ignored), and keeps every command it was sent.
 *
 * <pre>{@code
 * FakeMonitor monitor = new FakeMonitor()
 *         .answer("query-status", Map.of("status", "io-error", "running", false))
 *         .fail("query-rx-filter", "DeviceNotFound", "Device 'net9' not found");
 * }</pre>
 *
 * A command without an answer fails with {@link QmpErrorException} {@code CommandNotFound}, as QEMU answers a
 * command it does not know.
 */
public final class FakeMonitor implements Monitor {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** One command a processor sent: its name and its arguments as JSON ({@code null} without arguments). */
    public record SentCommand(String command, JsonNode arguments) {
    }

    private sealed interface Answer {
    }

    private record Value(JsonNode value) implements Answer {
    }

    private record Failure(String errorClass, String description) implements Answer {
    }

    private record Timeout() implements Answer {
    }

    private final Map<String, Answer> answers = new HashMap<>();
    private final List<SentCommand> sent = new ArrayList<>();

    /** Answers every {@code command} with {@code {"return": value}}. */
    public synchronized FakeMonitor answer(String command, Object value) {
        answers.put(Objects.requireNonNull(command), new Value(MAPPER.valueToTree(value)));
        return this;
    }

    /** Answers every {@code command} with a QMP error of class {@code errorClass}. */
    public synchronized FakeMonitor fail(String command, String errorClass, String description) {
        answers.put(Objects.requireNonNull(command), new Failure(errorClass, description));
        return this;
    }

    /** Lets every {@code command} time out. */
    public synchronized FakeMonitor timeOut(String command) {
        answers.put(Objects.requireNonNull(command), new Timeout());
        return this;
    }

    /** Every command sent so far, in order. */
    public synchronized List<SentCommand> sent() {
        return List.copyOf(sent);
    }

    @Override
    public synchronized <T> T execute(String command, Object arguments, Class<T> resultType, Duration timeout) {
        sent.add(new SentCommand(command, arguments == null ? null : MAPPER.valueToTree(arguments)));
        Answer answer = answers.get(command);
        if (answer instanceof Value v) {
            return MAPPER.convertValue(v.value(), resultType);
        }
        if (answer instanceof Failure f) {
            throw new QmpErrorException(command, f.errorClass(), f.description());
        }
        if (answer instanceof Timeout) {
            throw new CommandTimeoutException(command, timeout == null ? Duration.ofSeconds(30) : timeout);
        }
        throw new QmpErrorException(command, "CommandNotFound", "The command " + command + " has not been found");
    }
}
