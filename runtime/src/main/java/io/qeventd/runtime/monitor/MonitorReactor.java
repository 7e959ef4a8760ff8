package io.qeventd.runtime.monitor;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The monitor readers: a small fixed number of threads (default one) that serve every monitor
 * through selectors. No thread per monitor. Also owns the timer for command timeouts, greeting
 * deadlines and reconnect back-off.
 */
public final class MonitorReactor implements AutoCloseable {
    private final List<ReaderLoop> readers = new ArrayList<>();
    private final ScheduledThreadPoolExecutor timer;
    private final ObjectMapper mapper;
    private final AtomicInteger next = new AtomicInteger();

    public MonitorReactor(int readerThreads, ObjectMapper mapper) {
        if (readerThreads < 1) {
            throw new IllegalArgumentException("readers must be at least 1: " + readerThreads);
        }
        this.mapper = mapper;
        this.timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "qmp-timer");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        for (int i = 0; i < readerThreads; i++) {
            ReaderLoop loop = new ReaderLoop("qmp-reader-" + i);
            readers.add(loop);
            loop.start();
        }
    }

    /** True on a monitor reader thread, where nothing may block and no monitor command may be sent. */
    public static boolean isReaderThread() {
        return Thread.currentThread() instanceof ReaderLoop.ReaderThread;
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
        conn.start();
        return conn;
    }

    public int readerThreads() {
        return readers.size();
    }

    @Override
    public void close() {
        readers.forEach(ReaderLoop::shutdown);
        timer.shutdownNow();
    }
}
