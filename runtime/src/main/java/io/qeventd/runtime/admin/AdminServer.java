package io.qeventd.runtime.admin;

import io.qeventd.runtime.log.RateLimitedWarnings;
import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's admin socket: a unix socket of mode 0600 that answers {@link AdminProtocol} requests.
 * It runs on threads of its own (one accepting, one per open connection), never on a monitor reader or a
 * worker, so a slow or stuck client cannot hold up events. At most {@link #MAX_CONNECTIONS} connections are
 * open at a time: a new one closes the oldest, so clients that connect and stay silent can never keep a status
 * query from being answered. When accepting fails (the process is out of descriptors), the acceptor backs off
 * instead of spinning, and says so in the log once a minute with a count.
 */
public final class AdminServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AdminServer.class);
    /** Connections open at once, at most; a new one closes the oldest. */
    static final int MAX_CONNECTIONS = 32;
    private static final long MAX_BACKOFF_MILLIS = 1000;

    private final Path socket;
    private final ServerSocketChannel channel;
    private final Map<String, Supplier<Object>> commands;
    private final Map<String, AdminCommand> commandsWithArguments;
    private final Map<String, AdminStreamCommand> streams;
    private final Duration idleTimeout;
    private final Object fileKey;
    private final ExecutorService serving;
    private final ScheduledExecutorService timer;
    /** Open connections, oldest first. */
    private final Set<SocketChannel> clients = Collections.synchronizedSet(new LinkedHashSet<>());
    private final RateLimitedWarnings acceptWarnings = new RateLimitedWarnings(1, 60, TimeUnit.SECONDS);
    private final Thread acceptor;
    private volatile boolean closed;

    private AdminServer(Path socket, ServerSocketChannel channel, Map<String, Supplier<Object>> commands,
                        Map<String, AdminCommand> commandsWithArguments, Map<String, AdminStreamCommand> streams,
                        Duration idleTimeout) throws IOException {
        this.socket = socket;
        this.channel = channel;
        this.commands = Map.copyOf(commands);
        this.commandsWithArguments = Map.copyOf(commandsWithArguments);
        this.streams = Map.copyOf(streams);
        this.idleTimeout = idleTimeout;
        this.fileKey = Files.readAttributes(socket, BasicFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS).fileKey();
        AtomicInteger n = new AtomicInteger();
        this.serving = Executors.newCachedThreadPool(r -> daemonThread(r, "qeventd-admin-" + n.incrementAndGet()));
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> daemonThread(r, "qeventd-admin-timer"));
        this.acceptor = daemonThread(this::acceptLoop, "qeventd-admin");
    }

    /**
     * Opens the admin socket and starts answering.
     *
     * @param commands    command name to what it returns (serialised with Jackson); {@code ping} is built in
     * @param idleTimeout how long a connection may stay silent before the server closes it
     * @throws AdminSocketException when another daemon answers there, or the path cannot be used
     */
    public static AdminServer start(Path socket, Map<String, Supplier<Object>> commands, Duration idleTimeout)
            throws AdminSocketException {
        return start(socket, commands, Map.of(), idleTimeout);
    }

    /**
     * Opens the admin socket with commands that take no arguments ({@code commands}) and commands that take the
     * request's {@code "arguments"} object ({@code commandsWithArguments}).
     *
     * @throws AdminSocketException when another daemon answers there, or the path cannot be used
     */
    public static AdminServer start(Path socket, Map<String, Supplier<Object>> commands,
                                    Map<String, AdminCommand> commandsWithArguments, Duration idleTimeout)
            throws AdminSocketException {
        return start(socket, commands, commandsWithArguments, Map.of(), idleTimeout);
    }

    /**
     * Opens the admin socket with, besides plain commands, commands that answer with a stream
     * ({@link AdminStreamCommand}). A streaming connection counts against {@link #MAX_CONNECTIONS} like any
     * other, is not closed for silence while it streams, and is given up when its client reads nothing for
     * {@code idleTimeout}.
     *
     * @throws AdminSocketException when another daemon answers there, or the path cannot be used
     */
    public static AdminServer start(Path socket, Map<String, Supplier<Object>> commands,
                                    Map<String, AdminCommand> commandsWithArguments,
                                    Map<String, AdminStreamCommand> streams, Duration idleTimeout)
            throws AdminSocketException {
        Objects.requireNonNull(commands, "commands");
        Objects.requireNonNull(commandsWithArguments, "commandsWithArguments");
        Objects.requireNonNull(streams, "streams");
        ServerSocketChannel channel = AdminSocketBinder.bind(socket);
        AdminServer server;
        try {
            server = new AdminServer(socket, channel, commands, commandsWithArguments, streams, idleTimeout);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new AdminSocketException("cannot read back admin socket " + socket + ": " + e.getMessage(), e);
        }
        server.acceptor.start();
        log.info("admin socket: {}", socket);
        return server;
    }

    public Path socket() {
        return socket;
    }

    private void acceptLoop() {
        long backoff = 0;
        while (!closed) {
            SocketChannel client;
            try {
                client = channel.accept();
                backoff = 0;
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                long suppressed = acceptWarnings.admit();
                if (suppressed >= 0) {
                    log.warn("admin socket {}: accept failed: {}; backing off{}", socket, e.getMessage(),
                            RateLimitedWarnings.suffix(suppressed));
                }
                backoff = Math.min(MAX_BACKOFF_MILLIS, Math.max(10, backoff * 2));
                try {
                    Thread.sleep(backoff); // out of descriptors: retrying at once would only spin
                } catch (InterruptedException ie) {
                    return;
                }
                continue;
            }
            SocketChannel oldest = null;
            synchronized (clients) {
                if (clients.size() >= MAX_CONNECTIONS) {
                    oldest = clients.iterator().next();
                    clients.remove(oldest);
                }
                clients.add(client);
            }
            if (oldest != null) {
                closeQuietly(oldest);
            }
            try {
                serving.execute(() -> serve(client));
            } catch (RejectedExecutionException e) {
                forget(client);
            }
        }
    }

    private void serve(SocketChannel client) {
        try {
            new AdminConnection(client, commands, commandsWithArguments, streams, idleTimeout, timer).run();
        } finally {
            forget(client);
        }
    }

    private void forget(SocketChannel client) {
        clients.remove(client);
        closeQuietly(client);
    }

    /** Stops answering, closes open connections and removes the socket file (if it is still this server's). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeQuietly(channel);
        List<SocketChannel> open;
        synchronized (clients) {
            open = List.copyOf(clients);
        }
        for (SocketChannel c : open) {
            closeQuietly(c);
        }
        serving.shutdownNow();
        timer.shutdownNow();
        try {
            acceptor.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        removeSocketFile();
    }

    private void removeSocketFile() {
        try {
            Object key = Files.readAttributes(socket, BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS).fileKey();
            if (fileKey == null || fileKey.equals(key)) {
                Files.deleteIfExists(socket);
            }
        } catch (NoSuchFileException e) {
            // Already gone.
        } catch (IOException e) {
            log.warn("cannot remove admin socket {}: {}", socket, e.getMessage());
        }
    }

    private static Thread daemonThread(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // Closing; nothing left to do.
        }
    }
}
