package io.qeventd.runtime.record;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records a domain's QMP stream: connects to QEMU's monitor socket, negotiates, and writes QEMU's greeting and every
 * event to a recording. With a {@code serve} socket it also stands between QEMU and one client at a time (the
 * daemon, a plugin under development): the client gets QEMU's greeting and events, its commands go to QEMU, and each
 * command with its reply is recorded too, so that a replay can answer the same commands.
 */
public final class QmpRecorder implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(QmpRecorder.class);
    private static final String ID_PREFIX = "qeventd-record-";

    private final LineChannel qemu;
    private final RecordingWriter recording;
    private final ServerSocketChannel server;
    private final Path serve;
    private final CompletableFuture<Void> finished = new CompletableFuture<>();
    private final AtomicLong events = new AtomicLong();
    private final AtomicLong ids = new AtomicLong();
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private volatile Client client;
    private String greeting;

    /** A client's command on its way to QEMU: whom to answer, and with which id (null when it sent none). */
    private record Pending(Client client, JsonNode id) {
    }

    private QmpRecorder(LineChannel qemu, RecordingWriter recording, ServerSocketChannel server, Path serve) {
        this.qemu = qemu;
        this.recording = recording;
        this.server = server;
        this.serve = serve;
    }

    /**
     * Starts recording {@code qmp} into {@code out}, serving clients on {@code serve} unless it is null. Returns once
     * QEMU has greeted and accepted the capabilities negotiation.
     */
    public static QmpRecorder start(Path qmp, Path out, Path serve) throws IOException {
        LineChannel qemu = LineChannel.connect(qmp);
        RecordingWriter writer = null;
        ServerSocketChannel server = null;
        try {
            writer = new RecordingWriter(out, Clock.systemUTC());
            if (serve != null) {
                server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
                server.bind(UnixDomainSocketAddress.of(serve));
            }
            QmpRecorder recorder = new QmpRecorder(qemu, writer, server, serve);
            recorder.negotiate(qmp);
            recorder.startThreads();
            return recorder;
        } catch (IOException | RuntimeException e) {
            qemu.close();
            if (writer != null) {
                writer.close();
            }
            if (server != null) {
                server.close();
                Files.deleteIfExists(serve);
            }
            throw e;
        }
    }

    private void negotiate(Path qmp) throws IOException {
        greeting = qemu.readLine();
        if (greeting == null) {
            throw new IOException(qmp + " closed before QEMU's greeting");
        }
        JsonNode g = parse(greeting);
        if (g == null || !g.has("QMP")) {
            throw new IOException(qmp + " is not a QMP monitor: its first line is " + abbreviated(greeting));
        }
        ObjectNode caps = Recording.MAPPER.createObjectNode().put("execute", "qmp_capabilities");
        qemu.writeLine(caps.toString());
        String reply = qemu.readLine();
        JsonNode r = reply == null ? null : parse(reply);
        if (r == null || !r.has("return")) {
            throw new IOException(qmp + " refused the capabilities negotiation: " + abbreviated(reply));
        }
        // Written once negotiated: from then on QEMU sends this recorder every event.
        recording.write(RecordedLine.From.QEMU, g);
    }

    private void startThreads() {
        Thread reader = new Thread(this::readQemu, "qmp-record-reader");
        reader.setDaemon(true);
        reader.start();
        if (server != null) {
            Thread acceptor = new Thread(this::acceptClients, "qmp-record-accept");
            acceptor.setDaemon(true);
            acceptor.start();
        }
    }

    /** Completes when QEMU closes the monitor (it quit), or when the recorder is closed. */
    public CompletableFuture<Void> finished() {
        return finished;
    }

    /** Events recorded so far. */
    public long events() {
        return events.get();
    }

    private void readQemu() {
        try {
            for (String line = qemu.readLine(); line != null; line = qemu.readLine()) {
                JsonNode msg = parse(line);
                if (msg == null) {
                    log.warn("QEMU sent a line that is not JSON; not recorded: {}", abbreviated(line));
                } else if (msg.has("event")) {
                    recording.write(RecordedLine.From.QEMU, msg);
                    events.incrementAndGet();
                    Client c = client;
                    if (c != null && c.negotiated) {
                        c.send(line);
                    }
                } else {
                    answer(msg);
                }
            }
        } catch (IOException e) {
            if (!finished.isDone()) {
                log.warn("reading QEMU's monitor failed: {}", e.toString());
            }
        } finally {
            finished.complete(null);
        }
    }

    /** A reply from QEMU goes back to the client that asked, with the client's own id. */
    private void answer(JsonNode reply) {
        JsonNode id = reply.get("id");
        Pending p = id == null ? null : pending.remove(id.asText());
        if (p == null) {
            log.debug("reply without a waiting client: {}", reply);
            return;
        }
        ObjectNode forClient = reply.deepCopy();
        if (p.id() == null) {
            forClient.remove("id");
        } else {
            forClient.set("id", p.id());
        }
        recording.write(RecordedLine.From.QEMU, forClient);
        p.client().send(forClient.toString());
    }

    private void acceptClients() {
        while (server.isOpen()) {
            try {
                SocketChannel ch = server.accept();
                Client c = new Client(new LineChannel(ch));
                client = c;
                c.serve(); // one client at a time, as QEMU's own monitor
            } catch (IOException e) {
                if (server.isOpen()) {
                    log.warn("accepting a client on {} failed: {}", serve, e.toString());
                }
            }
        }
    }

    private final class Client {
        private final LineChannel channel;
        private volatile boolean negotiated;

        Client(LineChannel channel) {
            this.channel = channel;
        }

        void serve() {
            try {
                channel.writeLine(greeting);
                for (String line = channel.readLine(); line != null; line = channel.readLine()) {
                    command(line);
                }
            } catch (IOException e) {
                log.debug("client on {} gone: {}", serve, e.toString());
            } finally {
                client = null;
                channel.close();
            }
        }

        private void command(String line) throws IOException {
            JsonNode cmd = parse(line);
            if (cmd == null || !cmd.isObject() || !(cmd.has("execute") || cmd.has("exec-oob"))) {
                send(error(cmd, "GenericError", "Expected a QMP command object"));
                return;
            }
            String name = cmd.has("execute") ? cmd.get("execute").asText() : cmd.get("exec-oob").asText();
            if (name.equals("qmp_capabilities")) {
                // QEMU was negotiated with when recording began; the client's negotiation is answered here.
                negotiated = true;
                ObjectNode ok = Recording.MAPPER.createObjectNode();
                ok.set("return", Recording.MAPPER.createObjectNode());
                if (cmd.has("id")) {
                    ok.set("id", cmd.get("id"));
                }
                send(ok.toString());
                return;
            }
            if (!negotiated) {
                send(error(cmd, "CommandNotFound", "Expecting capabilities negotiation with 'qmp_capabilities'"));
                return;
            }
            recording.write(RecordedLine.From.CLIENT, cmd);
            String upstream = ID_PREFIX + ids.incrementAndGet();
            pending.put(upstream, new Pending(this, cmd.get("id")));
            ObjectNode forQemu = cmd.deepCopy();
            forQemu.put("id", upstream);
            qemu.writeLine(forQemu.toString());
        }

        void send(String line) {
            try {
                channel.writeLine(line);
            } catch (IOException e) {
                log.debug("cannot write to the client on {}: {}", serve, e.toString());
            }
        }
    }

    private static String error(JsonNode cmd, String errorClass, String desc) {
        ObjectNode e = Recording.MAPPER.createObjectNode();
        e.putObject("error").put("class", errorClass).put("desc", desc);
        if (cmd != null && cmd.has("id")) {
            e.set("id", cmd.get("id"));
        }
        return e.toString();
    }

    private static JsonNode parse(String line) {
        try {
            return Recording.MAPPER.readTree(line);
        } catch (IOException e) {
            return null;
        }
    }

    private static String abbreviated(String line) {
        return line == null ? "(nothing)" : line.length() <= 200 ? line : line.substring(0, 200) + "…";
    }

    @Override
    public void close() throws IOException {
        finished.complete(null);
        qemu.close();
        if (server != null) {
            server.close();
            Files.deleteIfExists(serve);
        }
        Client c = client;
        if (c != null) {
            c.channel.close();
        }
        recording.close();
    }
}
