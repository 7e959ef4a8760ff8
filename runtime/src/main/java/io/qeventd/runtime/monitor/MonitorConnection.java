package io.qeventd.runtime.monitor;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.qeventd.api.CommandTimeoutException;
import io.qeventd.api.MonitorClosedException;
import io.qeventd.api.QmpErrorException;
import io.qeventd.api.QmpException;
import io.qeventd.runtime.log.LogText;
import io.qeventd.runtime.log.RateLimitedWarnings;
import io.qeventd.runtime.qmp.FrameTooLargeException;
import io.qeventd.runtime.qmp.LineFramer;
import io.qeventd.runtime.qmp.QmpCodec;
import io.qeventd.runtime.qmp.QmpMessage;
import io.qeventd.runtime.qmp.QmpParseException;
import io.qeventd.runtime.qmp.QmpParser;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One QMP monitor: greeting, {@code qmp_capabilities}, then commands matched to replies by id (many in
 * flight at once) and events handed to the listener. Its state is only changed on its reader thread;
 * commands may be sent from any other thread.
 */
public final class MonitorConnection implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MonitorConnection.class);
    private static final long NEGOTIATION_ID = 0;

    private final String name;
    private final SocketAddress address;
    private final MonitorOptions options;
    private final MonitorListener listener;
    private final ReaderLoop loop;
    private final ScheduledExecutorService timer;
    private final QmpParser parser;
    private final QmpCodec codec;

    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private final Map<Long, String> timedOut = new ConcurrentHashMap<>();
    private final Queue<Outgoing> writes = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean flushScheduled = new AtomicBoolean();
    private final AtomicLong ids = new AtomicLong(NEGOTIATION_ID);
    private final CompletableFuture<QmpMessage.Greeting> firstConnect = new CompletableFuture<>();
    private final CompletableFuture<Void> closedFuture = new CompletableFuture<>();

    private final AtomicLong events = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    /** The reader logs repeated trouble a few lines a minute per monitor, with a count of what it left out. */
    private final RateLimitedWarnings malformedWarnings = RateLimitedWarnings.standard();
    private final RateLimitedWarnings replyWarnings = RateLimitedWarnings.standard();
    private final RateLimitedWarnings listenerWarnings = RateLimitedWarnings.standard();
    private final AtomicLong unknownReplies = new AtomicLong();
    private final AtomicLong lateReplies = new AtomicLong();
    private final AtomicLong bytesRead = new AtomicLong();
    private final AtomicLong connects = new AtomicLong();
    private final AtomicLong disconnects = new AtomicLong();
    /** Read once per line on the reader thread; null unless a recording is attached. */
    private final AtomicReference<MonitorTap> tap = new AtomicReference<>();

    // Touched only on the reader thread.
    private SocketChannel channel;
    private SelectionKey key;
    private LineFramer framer;
    private long generation;
    private QmpMessage.Greeting greeting;
    private Duration backoff;
    private ReaderLoop.Timer greetingDeadline;
    private boolean closedByOwner;

    private volatile MonitorState state = MonitorState.CONNECTING;
    private volatile QmpMessage.Greeting lastGreeting;

    private record Pending(String command, CompletableFuture<QmpMessage.Return> future, ScheduledFuture<?> timeout) {
    }

    /** A command on its way out, with its id: one no longer pending (timed out, failed) is never sent. */
    private record Outgoing(long id, ByteBuffer bytes) {
    }

    MonitorConnection(String name, SocketAddress address, MonitorOptions options, MonitorListener listener,
                      ReaderLoop loop, ScheduledExecutorService timer, ObjectMapper mapper) {
        this.name = name;
        this.address = address;
        this.options = options;
        this.listener = listener;
        this.loop = loop;
        this.timer = timer;
        this.parser = new QmpParser(mapper);
        this.codec = new QmpCodec(mapper);
        this.backoff = options.reconnectInitialDelay();
    }

    void start() {
        loop.execute(this::connectAttempt);
    }

    public String name() {
        return name;
    }

    public SocketAddress address() {
        return address;
    }

    public MonitorState state() {
        return state;
    }

    public MonitorOptions options() {
        return options;
    }

    /** The greeting of the current (or last) connection, or null before the first. */
    public QmpMessage.Greeting greeting() {
        return lastGreeting;
    }

    /** Completes when the first connection is negotiated; fails if that first attempt fails. */
    public CompletableFuture<QmpMessage.Greeting> firstConnect() {
        return firstConnect;
    }

    /** Completes once the monitor is closed for good (by {@link #close()}, or lost with reconnect off). */
    public CompletableFuture<Void> closed() {
        return closedFuture;
    }

    public MonitorStats stats() {
        return new MonitorStats(events.get(), malformed.get(), unknownReplies.get(), lateReplies.get(),
                bytesRead.get(), connects.get());
    }

    /** Negotiated connections that ended (lost, or closed by the owner) since the monitor was opened. */
    public long disconnects() {
        return disconnects.get();
    }

    public int pendingCommands() {
        return pending.size();
    }

    /**
     * Attaches {@code t} to see every line from now on (see {@link MonitorTap}).
     *
     * @return false when another tap is attached already
     */
    public boolean attachTap(MonitorTap t) {
        return tap.compareAndSet(null, t);
    }

    /** Detaches {@code t} if it is the attached tap. */
    public void detachTap(MonitorTap t) {
        tap.compareAndSet(t, null);
    }

    /**
     * Sends a command; the future completes with QEMU's reply, or fails with {@link QmpErrorException},
     * {@link CommandTimeoutException} or {@link MonitorClosedException}.
     *
     * @param arguments a map, a record, a JsonNode or null
     * @param timeout   null for the monitor's default
     * @throws IllegalStateException on a monitor reader thread, which never sends commands
     */
    public CompletableFuture<QmpMessage.Return> send(String command, Object arguments, Duration timeout) {
        if (MonitorReactor.isReaderThread()) {
            throw new IllegalStateException("QMP command '" + command + "' for monitor '" + name
                    + "' issued on monitor reader thread " + Thread.currentThread().getName()
                    + ": reader threads never block or send commands; run it from a processor on a worker");
        }
        CompletableFuture<QmpMessage.Return> future = new CompletableFuture<>();
        if (state != MonitorState.RUNNING) {
            future.completeExceptionally(notConnected(command));
            return future;
        }
        long id = ids.incrementAndGet();
        byte[] line;
        try {
            line = codec.command(command, arguments, id, false);
        } catch (IllegalArgumentException e) {
            future.completeExceptionally(e);
            return future;
        }
        Duration t = timeout != null ? timeout : options.commandTimeout();
        ScheduledFuture<?> timeoutTask = timer.schedule(() -> timeOut(id, t), t.toNanos(), TimeUnit.NANOSECONDS);
        pending.put(id, new Pending(command, future, timeoutTask));
        // The reader drains `pending` after it leaves RUNNING; re-check so no command is stranded.
        if (state != MonitorState.RUNNING) {
            Pending p = pending.remove(id);
            if (p != null) {
                p.timeout.cancel(false);
                future.completeExceptionally(notConnected(command));
            }
            return future;
        }
        writes.add(new Outgoing(id, ByteBuffer.wrap(line)));
        if (flushScheduled.compareAndSet(false, true)) {
            loop.execute(this::flush);
        }
        return future;
    }

    /** Closes the monitor for good: pending commands fail, no reconnect. Waits briefly for the reader. */
    @Override
    public void close() {
        requestClose();
        if (!loop.inLoop()) {
            try {
                closedFuture.get(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                log.debug("monitor {}: close did not finish in time", name, e);
            }
        }
    }

    /** Asks the reader to close the monitor for good, without waiting; the future is {@link #closed()}. */
    CompletableFuture<Void> requestClose() {
        loop.execute(() -> {
            closedByOwner = true;
            drop(new MonitorClosedException("monitor '" + name + "' closed by the daemon"), false);
        });
        return closedFuture;
    }

    // ---- reader thread from here on ----

    private void connectAttempt() {
        if (closedByOwner) {
            return;
        }
        state = MonitorState.CONNECTING;
        generation++;
        try {
            SocketChannel ch = address instanceof UnixDomainSocketAddress
                    ? SocketChannel.open(StandardProtocolFamily.UNIX)
                    : SocketChannel.open();
            ch.configureBlocking(false);
            channel = ch;
            framer = new LineFramer(options.maxMessageSize());
            writes.clear();
            if (ch.connect(address)) {
                key = ch.register(loop.selector(), SelectionKey.OP_READ, this);
                socketConnected();
            } else {
                key = ch.register(loop.selector(), SelectionKey.OP_CONNECT, this);
                armGreetingDeadline("connect");
            }
        } catch (IOException e) {
            fail(new MonitorConnectException("cannot connect monitor '" + name + "' to " + describe(address) + ": "
                    + e.getMessage(), e));
        }
    }

    private void socketConnected() {
        state = MonitorState.GREETING;
        armGreetingDeadline("greeting");
    }

    private void armGreetingDeadline(String phase) {
        long gen = generation;
        if (greetingDeadline != null) {
            greetingDeadline.cancel();
        }
        Duration t = options.connectTimeout();
        greetingDeadline = loop.schedule(t, () -> {
            if (gen == generation && state != MonitorState.RUNNING && channel != null) {
                fail(new MonitorConnectException("monitor '" + name + "' at " + describe(address) + ": no QMP "
                        + phase + " within " + t.toMillis() + " ms (is QEMU stopped, or is this not a QMP socket?)"));
            }
        });
    }

    void ready(SelectionKey k) {
        if (k != key || !k.isValid()) {
            return;
        }
        try {
            if (k.isConnectable()) {
                channel.finishConnect();
                k.interestOps(SelectionKey.OP_READ);
                socketConnected();
                return;
            }
            if (k.isWritable()) {
                flush();
            }
            if (k.isValid() && k.isReadable()) {
                read();
            }
        } catch (IOException e) {
            lost(e.getMessage() == null ? e.toString() : e.getMessage(), e);
        }
    }

    /** Reads once; returns the bytes read, 0 when none were waiting, -1 at EOF (the connection is then lost). */
    private int read() throws IOException {
        ByteBuffer target = framer.writable();
        int n = channel.read(target);
        if (n < 0) {
            int fragment = framer.pending();
            if (fragment > 0) {
                // A message QEMU began but never ended: say so rather than let it vanish.
                log.warn("monitor '{}': connection closed in the middle of a message; its {} byte(s) without a"
                        + " line end are dropped", name, fragment);
            }
            lost("EOF", null);
            return -1;
        }
        bytesRead.addAndGet(n);
        long gen = generation;
        try {
            framer.received(n, (buf, off, len, at) -> {
                if (gen == generation) {
                    line(buf, off, len, at);
                }
            });
        } catch (FrameTooLargeException e) {
            lost(e.getMessage(), e);
            return -1;
        }
        return n;
    }

    /**
     * A write failed (QEMU closed its end, e.g. after {@code quit}). QEMU may have written its last events
     * just before it exited: read what the socket still holds, so they are not lost, then drop the connection.
     */
    private void writeFailed(IOException e) {
        long gen = generation;
        try {
            while (gen == generation && channel != null && read() > 0) {
                // keep reading until EOF (read() then drops the connection) or nothing is left
            }
        } catch (IOException ignored) {
            // the read side is broken too: nothing more to save
        }
        if (gen == generation) {
            lost(e.getMessage(), e);
        }
    }

    private void line(byte[] buf, int off, int len, long streamOffset) {
        if (len == 0) {
            return;
        }
        MonitorTap t = tap.get();
        if (t != null) {
            t.received(buf, off, len);
        }
        QmpMessage msg;
        try {
            msg = parser.parse(buf, off, len);
        } catch (QmpParseException e) {
            malformed.incrementAndGet();
            long suppressed = malformedWarnings.admit();
            if (suppressed >= 0) {
                log.warn("monitor '{}': skipping malformed line at stream offset {}: {}{}", name, streamOffset,
                        e.getMessage(), RateLimitedWarnings.suffix(suppressed));
            }
            return;
        }
        if (msg instanceof QmpMessage.Event ev) {
            event(ev);
        } else if (msg instanceof QmpMessage.Return r) {
            reply(r.id(), r, null);
        } else if (msg instanceof QmpMessage.Error e) {
            reply(e.id(), null, e);
        } else if (msg instanceof QmpMessage.Greeting g) {
            greeting(g);
        }
    }

    private void event(QmpMessage.Event ev) {
        events.incrementAndGet();
        long nanos = System.nanoTime();
        Instant now = Instant.now();
        try {
            listener.event(this, ev, nanos, now);
        } catch (RuntimeException | Error e) {
            long suppressed = listenerWarnings.admit();
            if (suppressed >= 0) {
                log.error("monitor '{}': event listener failed on {}{}", name, ev.name(),
                        RateLimitedWarnings.suffix(suppressed), e);
            }
        }
    }

    private void greeting(QmpMessage.Greeting g) {
        if (state != MonitorState.GREETING) {
            log.warn("monitor '{}': unexpected QMP greeting in state {}, ignored", name, state);
            return;
        }
        greeting = g;
        state = MonitorState.NEGOTIATING;
        boolean oob = options.enableOob() && g.capabilities().contains("oob");
        Object args = oob ? Map.of("enable", List.of("oob")) : null;
        writes.add(new Outgoing(NEGOTIATION_ID, ByteBuffer.wrap(codec.command("qmp_capabilities", args,
                NEGOTIATION_ID, false))));
        flush();
        // The greeting came; what may not come now is the answer to qmp_capabilities.
        armGreetingDeadline("answer to qmp_capabilities");
    }

    private void reply(Object id, QmpMessage.Return ok, QmpMessage.Error err) {
        if (state == MonitorState.NEGOTIATING && Long.valueOf(NEGOTIATION_ID).equals(id)) {
            negotiated(err);
            return;
        }
        Pending p = id instanceof Long l ? pending.remove(l) : null;
        if (p == null) {
            String late = id instanceof Long l ? timedOut.remove(l) : null;
            if (late != null) {
                lateReplies.incrementAndGet();
                long suppressed = replyWarnings.admit();
                if (suppressed >= 0) {
                    log.info("monitor '{}': reply to '{}' (id {}) came after its timeout, dropped{}", name, late,
                            LogText.safe(id),
                            RateLimitedWarnings.suffix(suppressed));
                }
            } else {
                unknownReplies.incrementAndGet();
                long suppressed = replyWarnings.admit();
                if (suppressed >= 0) {
                    log.warn("monitor '{}': reply with unknown id {} dropped{}", name, LogText.safe(id),
                            RateLimitedWarnings.suffix(suppressed));
                }
            }
            return;
        }
        p.timeout.cancel(false);
        if (err != null) {
            p.future.completeExceptionally(new QmpErrorException(p.command, err.errorClass(), err.description()));
        } else {
            p.future.complete(ok);
        }
    }

    private void negotiated(QmpMessage.Error err) {
        if (err != null) {
            fail(new MonitorConnectException("monitor '" + name + "': qmp_capabilities refused: "
                    + err.errorClass() + ": " + err.description()));
            return;
        }
        if (greetingDeadline != null) {
            greetingDeadline.cancel();
        }
        boolean reconnected = connects.getAndIncrement() > 0;
        backoff = options.reconnectInitialDelay();
        lastGreeting = greeting;
        state = MonitorState.RUNNING;
        log.info("monitor '{}': {} to QEMU {} at {}", name, reconnected ? "reconnected" : "connected",
                LogText.safe(greeting.qemuVersion()), describe(address));
        try {
            listener.connected(this, greeting, reconnected);
        } catch (RuntimeException e) {
            log.error("monitor '{}': connect listener failed", name, e);
        }
        // After the listener: whoever waits for the connection sees the owner's reaction to it done.
        firstConnect.complete(greeting);
    }

    private void flush() {
        flushScheduled.set(false);
        if (channel == null || key == null || !key.isValid() || state == MonitorState.CONNECTING) {
            return;
        }
        try {
            Outgoing o;
            while ((o = writes.peek()) != null) {
                ByteBuffer b = o.bytes();
                boolean started = b.position() > 0;
                if (!started && o.id() != NEGOTIATION_ID && !pending.containsKey(o.id())) {
                    // Its caller already has an answer (a timeout, or the connection it was meant for closed).
                    writes.poll();
                    continue;
                }
                channel.write(b);
                if (b.hasRemaining()) {
                    key.interestOps(key.interestOps() | SelectionKey.OP_WRITE);
                    return;
                }
                MonitorTap t = tap.get();
                if (t != null) {
                    t.sent(b.array(), b.arrayOffset(), b.limit());
                }
                writes.poll();
            }
            key.interestOps(key.interestOps() & ~SelectionKey.OP_WRITE);
        } catch (IOException e) {
            writeFailed(e);
        }
    }

    private void timeOut(long id, Duration t) {
        Pending p = pending.remove(id);
        if (p != null) {
            timedOut.put(id, p.command);
            if (timedOut.size() > 10_000) {
                timedOut.clear();
            }
            p.future.completeExceptionally(new CommandTimeoutException(p.command, t));
        }
    }

    /** A negotiated (or negotiating) connection went away. */
    private void lost(String reason, Throwable cause) {
        boolean wasRunning = state == MonitorState.RUNNING;
        MonitorClosedException e = new MonitorClosedException("monitor '" + name + "' at " + describe(address)
                + " closed: " + reason, cause);
        if (!wasRunning) {
            fail(new MonitorConnectException("monitor '" + name + "' at " + describe(address)
                    + " closed before negotiation finished: " + reason, cause));
            return;
        }
        log.warn("monitor '{}': connection lost: {}", name, reason);
        drop(e, true);
    }

    /** An attempt to connect failed. */
    private void fail(QmpException e) {
        log.warn("{}", e.getMessage());
        firstConnect.completeExceptionally(e);
        drop(e, false);
    }

    private void drop(QmpException cause, boolean tellListener) {
        boolean wasRunning = state == MonitorState.RUNNING;
        if (wasRunning) {
            disconnects.incrementAndGet();
        }
        generation++;
        state = options.reconnect() && !closedByOwner ? MonitorState.WAITING_TO_RECONNECT : MonitorState.CLOSED;
        if (greetingDeadline != null) {
            greetingDeadline.cancel();
        }
        if (key != null) {
            key.cancel();
            key = null;
        }
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            channel = null;
        }
        writes.clear();
        MonitorClosedException closed = cause instanceof MonitorClosedException m ? m
                : new MonitorClosedException(cause.getMessage(), cause);
        for (Long id : pending.keySet()) {
            Pending p = pending.remove(id);
            if (p != null) {
                p.timeout.cancel(false);
                p.future.completeExceptionally(closed);
            }
        }
        if (wasRunning && (tellListener || closedByOwner)) {
            try {
                listener.disconnected(this, closed);
            } catch (RuntimeException e) {
                log.error("monitor '{}': disconnect listener failed", name, e);
            }
        }
        if (state == MonitorState.WAITING_TO_RECONNECT) {
            Duration wait = backoff;
            backoff = backoff.multipliedBy(2).compareTo(options.reconnectMaxDelay()) > 0
                    ? options.reconnectMaxDelay() : backoff.multipliedBy(2);
            log.debug("monitor '{}': connecting again in {} ms", name, wait.toMillis());
            loop.schedule(wait, this::connectAttempt);
        } else {
            firstConnect.completeExceptionally(closed);
            closedFuture.complete(null);
        }
    }

    private MonitorClosedException notConnected(String command) {
        return new MonitorClosedException("monitor '" + name + "' is not connected (" + state.name().toLowerCase()
                + "): cannot send " + command);
    }

    static String describe(SocketAddress a) {
        if (a instanceof UnixDomainSocketAddress u) {
            return u.getPath().toString();
        }
        if (a instanceof InetSocketAddress i) {
            return i.getHostString() + ":" + i.getPort();
        }
        return String.valueOf(a);
    }
}
