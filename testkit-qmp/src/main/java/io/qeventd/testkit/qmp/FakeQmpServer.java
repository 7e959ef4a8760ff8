package io.qeventd.testkit.qmp;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A scriptable QMP server on a real unix socket, for what a real QEMU cannot be made to do (garbage,
 * frames split anywhere, floods, unknown reply ids, withheld greetings) and as the demo's embedded
 * QEMU. Unless told otherwise it behaves like QEMU 7.2's monitor: it greets each client, refuses
 * commands and drops events until {@code qmp_capabilities}, echoes ids, serves one client at a time (the
 * next waits in the listen queue) and greets the next client after a disconnect.
 *
 * <p>After negotiation, commands are answered by the {@linkplain #expect script} while it has steps,
 * then by {@linkplain #respond responders}, then by built-ins ({@code query-status}, {@code stop},
 * {@code cont}, {@code system_reset}, {@code quit}), else with CommandNotFound. Commands are read one
 * JSON object per line on the server's own thread; a responder that blocks holds up the reading.
 * All public methods are thread safe.
 */
public final class FakeQmpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FakeQmpServer.class);

    private final Path socket;
    private final ServerOptions options;
    private final CommandScript script = new CommandScript();
    private final CommandDispatcher dispatcher;
    private final ClientRegistry clients;
    private final AcceptLoop acceptLoop;
    private boolean closed; // guarded by this

    private FakeQmpServer(Path socket, ServerOptions options) throws IOException {
        this.socket = socket;
        this.options = options;
        this.dispatcher = new CommandDispatcher(script, new FakeVm(!options.startPaused()));
        this.clients = new ClientRegistry(socket, options);
        this.acceptLoop = new AcceptLoop(socket, clients, dispatcher);
    }

    /** A server with QEMU 7.2's defaults listening on {@code socket}. */
    public static FakeQmpServer start(Path socket) throws IOException {
        return builder().start(socket);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Path socket() {
        return socket;
    }

    // ---- answering commands ----

    /** Answers every {@code command} (outside the script) with what {@code responder} makes of its arguments. */
    public void respond(String command, Function<JsonNode, Reply> responder) {
        dispatcher.respond(Objects.requireNonNull(command, "command"), Objects.requireNonNull(responder, "responder"));
    }

    /**
     * Appends a step to the script once its {@link ExpectedCommand#reply reply} is given. While steps
     * remain, each command after negotiation must be the next step's; any other is answered with an
     * error and recorded as a failure. {@code qmp_capabilities} is never scripted.
     */
    public ExpectedCommand expect(String command) {
        return script.expect(command);
    }

    /** Throws if a command was unexpected, a responder failed, or a scripted step was never used. */
    public void verify() {
        List<String> problems = script.problems();
        if (!problems.isEmpty()) {
            throw new ScriptException(socket.toString(), problems);
        }
    }

    // ---- sending ----

    /** Sends an event stamped now; false when dropped because no client has negotiated, as QEMU drops it. */
    public boolean emit(String event, Object data) {
        Instant now = Instant.now();
        return emit(event, data, now.getEpochSecond(), now.getNano() / 1_000L);
    }

    /** Sends an event with the given timestamp (QEMU sends -1/-1 when its clock fails); false when dropped. */
    public boolean emit(String event, Object data, long seconds, long micros) {
        boolean queued = clients.emit(QmpLines.event(event, data, seconds, micros));
        if (!queued) {
            LOG.debug("no negotiated QMP client on {}: event {} dropped", socket, event);
        }
        return queued;
    }

    /** Writes {@code text} as is (no line ending added), negotiated or not. The future completes once written. */
    public CompletableFuture<Void> sendRaw(String text) {
        return sendRaw(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes {@code bytes} as they are, negotiated or not. The future completes once written. */
    public CompletableFuture<Void> sendRaw(byte[] bytes) {
        return clients.requireCurrent().enqueue(WireOutput.bytes(bytes.clone()));
    }

    /**
     * Writes {@code bytes} in pieces cut before each offset, pausing {@link Builder#splitPause} between
     * pieces so that the reader sees each as a read of its own. Nothing else is written in between.
     */
    public CompletableFuture<Void> sendSplit(byte[] bytes, int... cutOffsets) {
        int previous = 0;
        for (int cut : cutOffsets) {
            if (cut <= previous || cut >= bytes.length) {
                throw new IllegalArgumentException("cut offsets must rise strictly within (0, " + bytes.length
                        + "): got " + Arrays.toString(cutOffsets));
            }
            previous = cut;
        }
        return clients.requireCurrent()
                .enqueue(WireOutput.split(bytes.clone(), cutOffsets.clone(), options.splitPause()));
    }

    /**
     * Writes {@code count} lines made by {@code lineFn} (given 0, 1, …; the line ending is added) from the
     * connection's writer thread, as fast as the client reads, negotiated or not. See {@link QmpLines#event}.
     */
    public CompletableFuture<Void> flood(int count, IntFunction<String> lineFn) {
        if (count < 0) {
            throw new IllegalArgumentException("flood count must not be negative: " + count);
        }
        ClientConnection client = clients.requireCurrent();
        return client.enqueue(WireOutput.lines(count, lineFn, client.lineEnding()));
    }

    /** Closes the current client's connection at once; the server then accepts the next. False if none was connected. */
    public boolean disconnect() {
        ClientConnection client = clients.detach();
        if (client == null) {
            return false;
        }
        LOG.debug("disconnecting QMP client {} from {}", client.ordinal(), socket);
        client.close();
        return true;
    }

    /** Stops listening, closes the current client and removes the socket file. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        ClientConnection client = clients.closeAndDetach();
        if (client != null) {
            client.close();
        }
        acceptLoop.stop();
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            LOG.warn("cannot remove QMP socket {}", socket, e);
        }
    }

    // ---- observing ----

    /** Every well-formed command received so far, from all clients, in arrival order. */
    public List<ReceivedCommand> received() {
        return clients.received();
    }

    /**
     * Waits for the next {@code command} not yet returned by an earlier call for that name: the first call
     * returns the first such command ever received, the second call the second, and so on.
     */
    public ReceivedCommand awaitCommand(String command, Duration timeout) throws InterruptedException, TimeoutException {
        return clients.awaitCommand(command, timeout);
    }

    /** Waits until a client is connected and has negotiated capabilities; returns its number (1 for the first). */
    public int awaitClient(Duration timeout) throws InterruptedException, TimeoutException {
        return clients.awaitNegotiatedClient(timeout);
    }

    /** How many clients have connected over the server's life. */
    public int clientCount() {
        return clients.clientCount();
    }

    /** Options of a server; {@link #start(Path)} binds the socket and starts accepting. */
    public static final class Builder {

        private Optional<String> greeting = Optional.of(QmpLines.greeting(7, 2, 0, "qeventd-sim"));
        private byte[] beforeGreeting = new byte[0];
        private LineEnding lineEnding = LineEnding.CRLF;
        private Duration splitPause = Duration.ofMillis(5);
        private boolean startPaused;

        private Builder() {
        }

        /** The greeting line (JSON, without line ending) sent to each client on accept. */
        public Builder greeting(String json) {
            this.greeting = Optional.of(Objects.requireNonNull(json, "json"));
            return this;
        }

        /** Sends no greeting; commands are still answered. */
        public Builder withholdGreeting() {
            this.greeting = Optional.empty();
            return this;
        }

        /** Bytes written to each client before the greeting, e.g. an event line a careless server lets slip. */
        public Builder beforeGreeting(byte[] bytes) {
            this.beforeGreeting = bytes.clone();
            return this;
        }

        /** CRLF (QEMU's, the default) or LF. */
        public Builder lineEnding(LineEnding lineEnding) {
            this.lineEnding = Objects.requireNonNull(lineEnding, "lineEnding");
            return this;
        }

        /** The pause between the pieces of {@link FakeQmpServer#sendSplit}; 5 ms unless set. */
        public Builder splitPause(Duration pause) {
            if (pause.isNegative()) {
                throw new IllegalArgumentException("split pause must not be negative: " + pause);
            }
            this.splitPause = pause;
            return this;
        }

        /** The fake VM starts paused (as with QEMU's {@code -S}) instead of running. */
        public Builder startPaused() {
            this.startPaused = true;
            return this;
        }

        public FakeQmpServer start(Path socket) throws IOException {
            FakeQmpServer server = new FakeQmpServer(Objects.requireNonNull(socket, "socket"),
                    new ServerOptions(greeting, beforeGreeting, lineEnding, splitPause, startPaused));
            server.acceptLoop.start();
            return server;
        }
    }
}
