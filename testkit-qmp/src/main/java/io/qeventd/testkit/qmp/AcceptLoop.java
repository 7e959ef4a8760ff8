package io.qeventd.testkit.qmp;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's own thread: accepts one client, reads and answers its commands until it leaves, then
 * accepts the next (the kernel's listen queue holds later clients meanwhile, as with QEMU). A timer
 * thread writes delayed replies.
 */
final class AcceptLoop {

    private static final Logger LOG = LoggerFactory.getLogger(AcceptLoop.class);

    /** How long a leaving client's queued output may take to drain before the connection is cut. */
    private static final Duration FLUSH_ON_CLOSE = Duration.ofSeconds(5);
    private static final Duration STOP_WAIT = Duration.ofSeconds(5);

    private final Path socket;
    private final ServerSocketChannel listener;
    private final ClientRegistry clients;
    private final CommandDispatcher dispatcher;
    private final ScheduledExecutorService timer;
    private final Thread thread;
    private volatile boolean stopping;

    AcceptLoop(Path socket, ClientRegistry clients, CommandDispatcher dispatcher) throws IOException {
        this.socket = socket;
        this.clients = clients;
        this.dispatcher = dispatcher;
        this.listener = listen(socket);
        String name = socket.getFileName().toString();
        this.timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread timerThread = new Thread(task, "fake-qmp-timer " + name);
            timerThread.setDaemon(true);
            return timerThread;
        });
        this.thread = new Thread(this::run, "fake-qmp-accept " + name);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
        LOG.debug("fake QMP server listening on {}", socket);
    }

    /** Stops accepting and waits briefly for the thread; the current client must be closed by the caller. */
    void stop() {
        stopping = true;
        try {
            listener.close();
        } catch (IOException e) {
            LOG.debug("closing the listener on {} failed", socket, e);
        }
        timer.shutdownNow();
        try {
            thread.join(STOP_WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        while (!stopping) {
            SocketChannel channel;
            try {
                channel = listener.accept();
            } catch (IOException e) {
                if (!stopping) {
                    LOG.error("fake QMP server on {} stopped accepting clients", socket, e);
                }
                return;
            }
            ClientConnection client = clients.admit(channel);
            if (client != null) {
                try {
                    serve(client);
                } finally {
                    finish(client);
                }
            }
        }
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
        clients.record(command);
        Answer answer = dispatcher.answer(command, client.negotiated());
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
                clients.negotiated(client, line);
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
        clients.release(client);
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
            listener.close();
            throw new IOException("cannot listen for QMP clients on " + socket + ": " + e.getMessage(), e);
        }
    }
}
