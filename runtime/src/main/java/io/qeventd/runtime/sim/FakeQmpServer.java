package io.qeventd.runtime.sim;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.Closeable;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A scriptable QMP server on a real unix socket, for what a real QEMU cannot be made to do (garbage,
 * frames split anywhere, floods, unknown reply ids, withheld greetings) and as the demo's embedded
 * QEMU. Unless told otherwise it behaves like QEMU 7.2's monitor: it greets each client, refuses
 * commands and drops events until {@code qmp_capabilities}, echoes ids, serves one client at a time (the
 * next waits in the listen queue) and greets the next client after a disconnect.
 *
 * <p>Commands are answered in this order: the {@linkplain #expect script} while it has steps, then
 * {@linkplain #respond responders}, then built-ins ({@code query-status}, {@code stop}, {@code cont},
 * {@code system_reset}, {@code quit}), then CommandNotFound. Commands are read one JSON object per line
 * on the server's accept thread; a responder that blocks holds up the reading. All public methods are
 * thread safe.
 */
public final class FakeQmpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FakeQmpServer.class);

    /** How long a leaving client's queued output may take to drain before the connection is cut. */
    private static final Duration FLUSH_ON_CLOSE = Duration.ofSeconds(5);
    private static final Duration ACCEPTOR_STOP = Duration.ofSeconds(5);

    private record Options(Optional<String> greeting, byte[] beforeGreeting, LineEnding lineEnding,
                           Duration splitPause, boolean startPaused) {
    }

    private final Path socket;
    private final Options options;
    private final ServerSocketChannel listener;
    private final CommandScript script = new CommandScript();
    private final CommandDispatcher dispatcher;
    private final ScheduledExecutorService timer;
    private final Thread acceptor;

    private final Object lock = new Object();
    private ClientConnection current; // guarded by lock
    private int clientCount; // guarded by lock
    private final List<ReceivedCommand> received = new ArrayList<>(); // guarded by lock
    private final Map<String, Integer> awaitedCounts = new HashMap<>(); // guarded by lock
    private volatile boolean closed;

    private FakeQmpServer(Path socket, Options options) throws IOException {
        this.socket = socket;
        this.options = options;
        this.dispatcher = new CommandDispatcher(script, new FakeVm(!options.startPaused()));
        this.listener = listen(socket);
        String name = socket.getFileName().toString();
        this.timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "fake-qmp-timer " + name);
            thread.setDaemon(true);
            return thread;
        });
        this.acceptor = new Thread(this::acceptLoop, "fake-qmp-accept " + name);
        acceptor.setDaemon(true);
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
     * error and recorded as a failure.
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

    /** Sends an event stamped now; returns false when it was dropped because no client has negotiated, as QEMU drops it. */
    public boolean emit(String event, Object data) {
        Instant now = Instant.now();
        return emit(event, data, now.getEpochSecond(), now.getNano() / 1_000L);
    }

    /** Sends an event with the given timestamp (QEMU sends -1/-1 when its clock fails); false when dropped. */
    public boolean emit(String event, Object data, long seconds, long micros) {
        String line = QmpLines.event(event, data, seconds, micros);
        synchronized (lock) { // queued under the lock so that no event slips in before the negotiation reply
            if (current == null || !current.negotiated()) {
                LOG.debug("no negotiated QMP client on {}: event {} dropped", socket, event);
                return false;
            }
            current.writeLine(line);
            return true;
        }
    }

    /** Writes {@code text} as is (no line ending added), negotiated or not. The future completes once written. */
    public CompletableFuture<Void> sendRaw(String text) {
        return sendRaw(text.getBytes(StandardCharsets.UTF_8));
    }

    public CompletableFuture<Void> sendRaw(byte[] bytes) {
        return requireClient().enqueue(WireOutput.bytes(bytes.clone()));
    }

    /**
     * Writes {@code bytes} in pieces cut before each offset, pausing {@link Builder#splitPause} between
     * pieces so that a reader sees them as separate reads. Nothing else is written in between.
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
        return requireClient().enqueue(WireOutput.split(bytes.clone(), cutOffsets.clone(), options.splitPause()));
    }

    /**
     * Writes {@code count} lines made by {@code lineFn} (given 0, 1, …; the line ending is added) from the
     * connection's writer thread, as fast as the client reads, negotiated or not. See {@link QmpLines#event}.
     */
    public CompletableFuture<Void> flood(int count, IntFunction<String> lineFn) {
        if (count < 0) {
            throw new IllegalArgumentException("flood count must not be negative: " + count);
        }
        ClientConnection client = requireClient();
        return client.enqueue(WireOutput.lines(count, lineFn, client.lineEnding()));
    }

    /** Closes the current client's connection at once; the server then accepts the next client. False if none was connected. */
    public boolean disconnect() {
        ClientConnection client;
        synchronized (lock) {
            client = current;
            current = null;
            lock.notifyAll();
        }
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
        ClientConnection client;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            client = current;
            current = null;
            lock.notifyAll();
        }
        try {
            listener.close();
        } catch (IOException e) {
            LOG.debug("closing the listener on {} failed", socket, e);
        }
        if (client != null) {
            client.close();
        }
        timer.shutdownNow();
        try {
            acceptor.join(ACCEPTOR_STOP.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            LOG.warn("cannot remove QMP socket {}", socket, e);
        }
    }

    // ---- observing ----

    /** Every well-formed command received so far, from all clients, in arrival order. */
    public List<ReceivedCommand> received() {
        synchronized (lock) {
            return List.copyOf(received);
        }
    }

    /**
     * Waits for the next {@code command} not yet returned by an earlier call for that name: the first call
     * returns the first such command ever received, the second call the second, and so on.
     */
    public ReceivedCommand awaitCommand(String command, Duration timeout) throws InterruptedException, TimeoutException {
        synchronized (lock) {
            int seen = awaitedCounts.getOrDefault(command, 0);
            ReceivedCommand found = await(() -> received.stream()
                    .filter(r -> r.command().equals(command))
                    .skip(seen)
                    .findFirst()
                    .orElse(null), timeout, "command '" + command + "' number " + (seen + 1));
            awaitedCounts.put(command, seen + 1);
            return found;
        }
    }

    /** Waits until a client is connected and has negotiated capabilities; returns its number (1 for the first). */
    public int awaitClient(Duration timeout) throws InterruptedException, TimeoutException {
        // The probe runs holding the lock, so reading current is safe.
        return await(() -> current != null && current.negotiated() ? current.ordinal() : null,
                timeout, "negotiated client");
    }

    /** How many clients have connected over the server's life. */
    public int clientCount() {
        synchronized (lock) {
            return clientCount;
        }
    }

    private <T> T await(Supplier<T> probe, Duration timeout, String what) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            for (T value = probe.get(); ; value = probe.get()) {
                if (value != null) {
                    return value;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new TimeoutException("fake QMP server on " + socket + ": no " + what + " within " + timeout);
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
        }
    }

    private ClientConnection requireClient() {
        synchronized (lock) {
            if (current == null) {
                throw new IllegalStateException("no QMP client is connected to " + socket);
            }
            return current;
        }
    }

    // ---- serving clients (accept thread) ----

    private void startAccepting() {
        acceptor.start();
        LOG.debug("fake QMP server listening on {}", socket);
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel channel;
            try {
                channel = listener.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.error("fake QMP server on {} stopped accepting clients", socket, e);
                }
                return;
            }
            ClientConnection client = admit(channel);
            if (client != null) {
                try {
                    serve(client);
                } finally {
                    finish(client);
                }
            }
        }
    }

    private ClientConnection admit(SocketChannel channel) {
        ClientConnection client;
        synchronized (lock) {
            if (closed) {
                closeQuietly(channel);
                return null;
            }
            clientCount++;
            client = new ClientConnection(channel, clientCount, options.lineEnding(), socket.getFileName().toString());
            // Queued before the client is published, so nothing sent from other threads can precede the greeting.
            if (options.beforeGreeting().length > 0) {
                client.enqueue(WireOutput.bytes(options.beforeGreeting()));
            }
            options.greeting().ifPresent(client::writeLine);
            current = client;
            lock.notifyAll();
        }
        client.start();
        LOG.debug("QMP client {} connected to {}", client.ordinal(), socket);
        return client;
    }

    private void serve(ClientConnection client) {
        try {
            for (String line = client.readLine(); line != null; line = client.readLine()) {
                if (!line.isBlank() && !handle(client, line)) {
                    return;
                }
            }
            LOG.debug("QMP client {} on {} closed its connection", client.ordinal(), socket);
        } catch (IOException e) {
            LOG.debug("QMP client {} on {} gone: {}", client.ordinal(), socket, e.toString());
        }
    }

    /** Answers one line; false once the client must be let go ({@code quit}). */
    private boolean handle(ClientConnection client, String line) {
        ReceivedCommand command;
        try {
            command = CommandParser.parse(line, client.ordinal());
        } catch (InvalidCommandException e) {
            LOG.debug("QMP client {} sent an invalid command: {}", client.ordinal(), line);
            client.writeLine(QmpLines.errorLine("GenericError", e.getMessage(), e.id()));
            return true;
        }
        synchronized (lock) {
            received.add(command);
            lock.notifyAll();
        }
        Answer answer;
        try {
            answer = dispatcher.answer(command, client.negotiated());
        } catch (RuntimeException e) {
            // A bad scripted value or a server bug: answer and record it rather than lose the accept thread.
            LOG.error("answering {} on {} failed", line, socket, e);
            script.fail("answering " + line + " failed: " + e);
            answer = Answer.of(Reply.error("GenericError", "fake QMP server failed: " + e));
        }
        answer.eventLines().forEach(client::writeLine);
        deliver(client, command, answer.reply());
        if (answer.closeAfter()) {
            client.closeAfterWrites();
            return false;
        }
        return true;
    }

    private void deliver(ClientConnection client, ReceivedCommand command, Reply reply) {
        if (reply instanceof Reply.Return success) {
            String line = QmpLines.returnLine(success.value(), command.id());
            if (command.command().equals(CommandDispatcher.CAPABILITIES) && !client.negotiated()) {
                synchronized (lock) { // with emit(): events are queued after this reply, never before
                    client.markNegotiated();
                    client.writeLine(line);
                    lock.notifyAll();
                }
            } else {
                client.writeLine(line);
            }
        } else if (reply instanceof Reply.Failure failure) {
            client.writeLine(QmpLines.errorLine(failure.errorClass(), failure.desc(), command.id()));
        } else if (reply instanceof Reply.RawLine raw) {
            client.writeLine(raw.line());
        } else if (reply instanceof Reply.Delayed delayed) {
            try {
                timer.schedule(() -> deliver(client, command, delayed.reply()), delayed.delay().toNanos(),
                        TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException closing) {
                LOG.debug("server on {} closing: delayed reply to {} dropped", socket, command.rawLine());
            }
        }
        // Reply.Silence: nothing is written, on purpose.
    }

    /** Lets queued output (a reply, quit's SHUTDOWN) drain briefly, then frees the slot for the next client. */
    private void finish(ClientConnection client) {
        try {
            client.closeAfterWrites().get(FLUSH_ON_CLOSE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException alreadyClosed) {
            LOG.trace("connection to QMP client {} on {} was already closed", client.ordinal(), socket);
        } catch (TimeoutException e) {
            LOG.debug("QMP client {} on {} did not take its queued output within {}", client.ordinal(), socket,
                    FLUSH_ON_CLOSE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        client.close();
        synchronized (lock) {
            if (current == client) {
                current = null;
            }
            lock.notifyAll();
        }
    }

    private static ServerSocketChannel listen(Path socket) throws IOException {
        // A socket file left by an earlier run would make bind fail; QEMU removes it too.
        if (Files.exists(socket, LinkOption.NOFOLLOW_LINKS)
                && Files.readAttributes(socket, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther()) {
            Files.delete(socket);
        }
        ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            listener.bind(UnixDomainSocketAddress.of(socket));
            return listener;
        } catch (IOException e) {
            closeQuietly(listener);
            throw new IOException("cannot listen for QMP clients on " + socket + ": " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException e) {
            LOG.debug("closing {} failed", closeable, e);
        }
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
                    new Options(greeting, beforeGreeting, lineEnding, splitPause, startPaused));
            server.startAccepting();
            return server;
        }
    }
}
