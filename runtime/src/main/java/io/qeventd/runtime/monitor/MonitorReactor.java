package io.qeventd.runtime.monitor;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The monitor readers: a small fixed number of threads (default one) that serve every monitor
 * through selectors. No thread per monitor. Also owns the timer for command timeouts, greeting
 * deadlines and reconnect back-off.
 */
public final class MonitorReactor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MonitorReactor.class);
    private static final long CLOSE_WAIT_SECONDS = 2;

    private final List<ReaderLoop> readers = new ArrayList<>();
    private final ScheduledThreadPoolExecutor timer;
    private final ObjectMapper mapper;
    private final AtomicInteger next = new AtomicInteger();
    private final Set<MonitorConnection> open = ConcurrentHashMap.newKeySet();
    private boolean closed; // guarded by open

    public MonitorReactor(int readerThreads, ObjectMapper mapper) {
        if (readerThreads < 1) {
            throw new IllegalArgumentException("readers must be at least 1: " + readerThreads);
        }
        this.mapper = mapper;
        this.timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "qmp-timer");
            t.setDaemon(true);
            // Made lazily, the thread would be born on the worker of the first command, inside a plugin's class
            // loader, and count as a thread that plugin left behind.
            t.setContextClassLoader(MonitorReactor.class.getClassLoader());
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        timer.prestartCoreThread();
        for (int i = 0; i < readerThreads; i++) {
            ReaderLoop loop = new ReaderLoop("qmp-reader-" + i);
            readers.add(loop);
            loop.start();
        }
    }

    /** True on a monitor reader thread, where nothing may block and no monitor command may be sent. */
    public static boolean isReaderThread() {
        return isReaderThread(Thread.currentThread());
    }

    /** Whether {@code t} is a monitor reader thread (tools that watch for blocking calls ask this). */
    public static boolean isReaderThread(Thread t) {
        return t instanceof ReaderLoop.ReaderThread;
    }

    /**
     * Opens a monitor: it starts connecting at once and, with reconnect on, keeps trying until closed.
     *
     * @param name     the domain's name, for messages and logs
     * @param address  a {@link java.net.UnixDomainSocketAddress} or an {@link java.net.InetSocketAddress}
     */
    public MonitorConnection open(String name, SocketAddress address, MonitorOptions options, MonitorListener listener) {
        ReaderLoop loop = readers.get(Math.floorMod(next.getAndIncrement(), readers.size()));
        MonitorConnection conn = new MonitorConnection(name, address, options, listener, loop, timer, mapper);
        synchronized (open) {
            if (closed) {
                throw new IllegalStateException("monitor reactor is closed: cannot open monitor '" + name + "'");
            }
            open.add(conn);
        }
        conn.closed().whenComplete((ignored, e) -> open.remove(conn));
        conn.start();
        return conn;
    }

    public int readerThreads() {
        return readers.size();
    }

    /**
     * Closes every monitor still open, so that their pending commands fail with
     * {@link io.qeventd.api.MonitorClosedException}: once the readers and the timer stop, nothing else
     * would ever complete them, and a caller blocked on a reply would wait forever.
     */
    @Override
    public void close() {
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        synchronized (open) {
            closed = true;
            open.forEach(conn -> closing.add(conn.requestClose()));
        }
        try {
            CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).get(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("monitor reactor: not every monitor closed within {} s", CLOSE_WAIT_SECONDS, e);
        }
        readers.forEach(ReaderLoop::shutdown);
        timer.shutdownNow();
    }
}
