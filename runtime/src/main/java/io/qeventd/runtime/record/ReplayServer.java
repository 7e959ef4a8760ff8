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

    private ReplayServer(Recording recording, Pace pace, Path socket, ServerSocketChannel server) {
        this.recording = recording;
        this.pace = pace;
        this.socket = socket;
        this.server = server;
        this.answers = new ReplayAnswers(recording);
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
        if (negotiation) {
            reply = Recording.MAPPER.createObjectNode();
            reply.set("return", Recording.MAPPER.createObjectNode());
        } else if (name == null) {
            reply = Recording.MAPPER.createObjectNode();
            reply.putObject("error").put("class", "GenericError").put("desc", "Expected a QMP command object");
        } else {
            reply = answers.answer(name, cmd.get("arguments"));
        }
        if (cmd != null && cmd.has("id")) {
            reply.set("id", cmd.get("id"));
        }
        c.writeLine(reply.toString());
        return negotiation;
    }

    private void playEvents(LineChannel c) {
        List<RecordedLine> events = recording.events();
        Instant previous = null;
        int sent = 0;
        try {
            for (RecordedLine e : events) {
                if (previous != null && !pace.asFastAsPossible()) {
                    long nanos = (long) (Duration.between(previous, e.at()).toNanos() / pace.speed());
                    if (nanos > 0) {
                        Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000)); // the recorded pause, scaled
                    }
                }
                previous = e.at();
                c.writeLine(e.qmp().toString());
                sent++;
            }
            played.complete(sent);
        } catch (IOException e) {
            log.warn("replay on {}: the client went away after {} of {} events", socket, sent, events.size());
            played.complete(sent);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            played.complete(sent);
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
