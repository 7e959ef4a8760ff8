package io.qeventd.runtime.record;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays a recording to the first client of a QMP socket, as the recorded QEMU did: the recorded greeting, the
 * capabilities negotiation, then the recorded events in order, paced as recorded ({@code speed} 2 is twice as fast)
 * or as fast as possible, while the client's commands are answered with the recorded replies.
 */
public final class ReplayServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ReplayServer.class);
    /**
     * How long the replay waits for the commands the recorded client sent after an event: long enough for a
     * plugin's first processor run (class loading, a cold JIT) on a busy machine. A plugin that asks less than the
     * recorded client costs this much per such event: record with the plugin itself to avoid it.
     */
    static final Duration LOCKSTEP = Duration.ofSeconds(5);
    /** How long the client must have been silent after connecting before the first event is played. */
    static final Duration QUIET = Duration.ofMillis(300);

    /** How to pace the events: {@code speed} times as fast as recorded, or with no pause when {@code asFastAsPossible}. */
    public record Pace(double speed, boolean asFastAsPossible) {
        public static final Pace AS_RECORDED = new Pace(1, false);
        public static final Pace AS_FAST_AS_POSSIBLE = new Pace(1, true);

        public Pace {
            if (!(speed > 0)) {
                throw new IllegalArgumentException("speed must be positive, got " + speed);
            }
        }
    }

    private final Recording recording;
    private final Pace pace;
    private final Path socket;
    private final ServerSocketChannel server;
    private final ReplayAnswers answers;
    private final CompletableFuture<Integer> played = new CompletableFuture<>();
    private volatile LineChannel client;
    private final Object progress = new Object();
    private int lastEvent = -1; // guarded by progress: the recording's line index of the event played last
    private int nextEvent; // guarded by progress: the line index of the event after it
    private int commandsAnswered; // guarded by progress
    private long lastCommandNanos = System.nanoTime(); // guarded by progress

    private ReplayServer(Recording recording, Pace pace, Path socket, ServerSocketChannel server) {
        this.recording = recording;
        this.pace = pace;
        this.socket = socket;
        this.server = server;
        this.answers = new ReplayAnswers(recording);
        this.nextEvent = nextEvent(recording.lines(), -1);
    }

    /** Listens on {@code socket} and plays {@code recording} to the first client that connects. */
    public static ReplayServer start(Recording recording, Pace pace, Path socket) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            server.close();
            throw new IOException("cannot listen on " + socket + ": " + e.getMessage(), e);
        }
        ReplayServer replay = new ReplayServer(recording, pace, socket, server);
        Thread t = new Thread(replay::serve, "qmp-replay");
        t.setDaemon(true);
        t.start();
        return replay;
    }

    public Path socket() {
        return socket;
    }

    /** Completes with the number of events sent once the last recorded event was written to the client. */
    public CompletableFuture<Integer> played() {
        return played;
    }

    private void serve() {
        try (LineChannel c = new LineChannel(server.accept())) {
            client = c;
            c.writeLine(recording.greeting().toString());
            for (String line = c.readLine(); line != null; line = c.readLine()) {
                if (command(c, line)) {
                    Thread events = new Thread(() -> playEvents(c), "qmp-replay-events");
                    events.setDaemon(true);
                    events.start();
                }
            }
        } catch (IOException e) {
            if (server.isOpen()) {
                log.warn("replay on {} ended: {}", socket, e.toString());
            }
        } finally {
            played.complete(-1); // no effect when every event was played
        }
    }

    /** Answers one command; true when it was the negotiation, after which the events start. */
    private boolean command(LineChannel c, String line) throws IOException {
        JsonNode cmd;
        try {
            cmd = Recording.MAPPER.readTree(line);
        } catch (IOException e) {
            cmd = null;
        }
        String name = cmd == null ? null : cmd.path("execute").asText(cmd.path("exec-oob").asText(null));
        ObjectNode reply;
        boolean negotiation = "qmp_capabilities".equals(name);
        synchronized (progress) {
            lastCommandNanos = System.nanoTime();
        }
        if (negotiation) {
            reply = Recording.MAPPER.createObjectNode();
            reply.set("return", Recording.MAPPER.createObjectNode());
        } else if (name == null) {
            reply = Recording.MAPPER.createObjectNode();
            reply.putObject("error").put("class", "GenericError").put("desc", "Expected a QMP command object");
        } else {
            synchronized (progress) {
                reply = answers.answer(name, cmd.get("arguments"), lastEvent, nextEvent);
                commandsAnswered++;
                progress.notifyAll();
            }
        }
        if (cmd != null && cmd.has("id")) {
            reply.set("id", cmd.get("id"));
        }
        c.writeLine(reply.toString());
        return negotiation;
    }

    /**
     * Writes the events in order. After an event that the recorded client answered with commands, waits (up to
     * {@link #LOCKSTEP}) until the client has sent as many, so its commands see the state that followed that event
     * rather than a later one, however fast the events are played.
     */
    private void playEvents(LineChannel c) {
        List<RecordedLine> lines = recording.lines();
        Instant previous = null;
        int sent = 0;
        try {
            awaitQuiet();
            for (int i = 0; i < lines.size(); i++) {
                RecordedLine e = lines.get(i);
                if (!e.isEvent()) {
                    continue;
                }
                if (previous != null && !pace.asFastAsPossible()) {
                    long nanos = (long) (Duration.between(previous, e.at()).toNanos() / pace.speed());
                    if (nanos > 0) {
                        Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000)); // the recorded pause, scaled
                    }
                }
                previous = e.at();
                int expected;
                synchronized (progress) {
                    lastEvent = i;
                    nextEvent = nextEvent(lines, i);
                    commandsAnswered = 0;
                    expected = answers.commandsBetween(i, nextEvent);
                }
                c.writeLine(e.qmp().toString());
                sent++;
                awaitCommands(expected);
            }
            played.complete(sent);
        } catch (IOException e) {
            log.warn("replay on {}: the client went away after {} of {} events", socket, sent, recording.events().size());
            played.complete(sent);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            played.complete(sent);
        }
    }

    private static int nextEvent(List<RecordedLine> lines, int after) {
        for (int j = after + 1; j < lines.size(); j++) {
            if (lines.get(j).isEvent()) {
                return j;
            }
        }
        return lines.size();
    }

    /**
     * Waits, before the first event, until the client has sent nothing for {@link #QUIET}: what a daemon asks on
     * connecting (its run state, the UUID) must not be taken for what a processor asks after the first event.
     */
    private void awaitQuiet() throws InterruptedException {
        long end = System.nanoTime() + LOCKSTEP.toNanos();
        synchronized (progress) {
            while (true) {
                long quietFor = System.nanoTime() - lastCommandNanos;
                long left = end - System.nanoTime();
                if (quietFor >= QUIET.toNanos() || left <= 0) {
                    return;
                }
                progress.wait(Math.max(1, Math.min(left, QUIET.toNanos() - quietFor) / 1_000_000));
            }
        }
    }

    private void awaitCommands(int expected) throws InterruptedException {
        long end = System.nanoTime() + LOCKSTEP.toNanos();
        synchronized (progress) {
            while (commandsAnswered < expected) {
                long left = end - System.nanoTime();
                if (left <= 0) {
                    return; // this client asks less than the recorded one did
                }
                progress.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        LineChannel c = client;
        if (c != null) {
            c.close();
        }
        Files.deleteIfExists(socket);
    }
}
