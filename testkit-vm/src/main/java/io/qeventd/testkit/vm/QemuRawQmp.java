package io.qeventd.testkit.vm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The least QMP a test needs to drive QEMU on its own monitor, beside (not instead of) the client under
 * test: reads the greeting, negotiates, sends a command and waits for its reply, and collects the events
 * seen meanwhile. One command at a time; no ids.
 */
public final class QemuRawQmp implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final QemuLineSocket socket;
    private final Duration timeout;
    private final List<JsonNode> events = new ArrayList<>();

    private QemuRawQmp(QemuLineSocket socket, Duration timeout) {
        this.socket = socket;
        this.timeout = timeout;
    }

    /** Connects, reads the greeting and sends {@code qmp_capabilities}; each later wait lasts {@code timeout} at most. */
    public static QemuRawQmp connect(Path monitor, Duration timeout) throws IOException {
        QemuRawQmp qmp = new QemuRawQmp(QemuLineSocket.connect(monitor), timeout);
        try {
            JsonNode greeting = qmp.next(Instant.now().plus(timeout))
                    .orElseThrow(() -> new IOException("no QMP greeting on " + monitor + " within " + timeout));
            if (!greeting.has("QMP")) {
                throw new IOException("not a QMP greeting on " + monitor + ": " + greeting);
            }
            JsonNode reply = qmp.execute("qmp_capabilities");
            if (!reply.has("return")) {
                throw new IOException("qmp_capabilities failed on " + monitor + ": " + reply);
            }
            return qmp;
        } catch (IOException | RuntimeException e) {
            qmp.close();
            throw e;
        }
    }

    /** Runs {@code command} without arguments; returns the whole reply ({@code return} or {@code error}). */
    public JsonNode execute(String command) {
        return executeJson("{\"execute\":\"" + command + "\"}");
    }

    /** Sends one JSON command line; returns the whole reply. Events read meanwhile are kept for {@link #awaitEvent}. */
    public JsonNode executeJson(String commandJson) {
        socket.send(commandJson);
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            JsonNode message = next(deadline).orElseThrow(() -> new AssertionError(
                    "no reply to " + commandJson + " on " + socket.path() + " within " + timeout));
            if (message.has("event")) {
                events.add(message);
            } else {
                return message;
            }
        }
    }

    /** Returns the first event named {@code name} received since the last call that returned it, waiting up to the timeout. */
    public JsonNode awaitEvent(String name) {
        return pollEvent(name, timeout).orElseThrow(() -> new AssertionError(
                "no " + name + " event on " + socket.path() + " within " + timeout + "; other events: " + events));
    }

    /** Like {@link #awaitEvent} but waits {@code wait} at most and may return empty. */
    public Optional<JsonNode> pollEvent(String name, Duration wait) {
        Instant deadline = Instant.now().plus(wait);
        while (true) {
            for (int i = 0; i < events.size(); i++) {
                if (name.equals(events.get(i).path("event").asText())) {
                    return Optional.of(events.remove(i));
                }
            }
            Optional<JsonNode> message = next(deadline);
            if (message.isEmpty()) {
                return Optional.empty();
            }
            if (message.get().has("event")) {
                events.add(message.get());
            }
        }
    }

    /** Forgets the events received so far, e.g. those a command's reply came after. */
    public void clearEvents() {
        events.clear();
    }

    private Optional<JsonNode> next(Instant deadline) {
        return socket.readLine(deadline).map(line -> {
            try {
                return JSON.readTree(line);
            } catch (IOException e) {
                throw new AssertionError("QEMU sent a line that is not JSON on " + socket.path() + ": " + line, e);
            }
        });
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
