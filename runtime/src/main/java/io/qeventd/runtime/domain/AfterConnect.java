package io.qeventd.runtime.domain;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each domain's after-connect work (query-uuid, query-status, connect listeners) on a thread of its own
 * (up to {@link #MAX_THREADS} at once), so that a monitor that negotiates and then never answers delays nobody
 * else. A monitor reader hands a connect
 * over without blocking: a lock-free queue and an unpark; a dispatcher thread of this class's own starts the
 * work.
 */
final class AfterConnect implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AfterConnect.class);

    /**
     * Connects worked on at once, at most: a monitor that never answers holds one of them only until its queries
     * time out, and a thousand monitors connecting together do not start a thousand threads.
     */
    static final int MAX_THREADS = 32;

    private final ConcurrentLinkedQueue<Runnable> handed = new ConcurrentLinkedQueue<>();
    private final ExecutorService work;
    private final Thread dispatcher;
    private volatile boolean closed;

    AfterConnect() {
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(MAX_THREADS, MAX_THREADS, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "domain-connect-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        this.work = pool;
        this.dispatcher = new Thread(this::dispatch, "domain-connect");
        dispatcher.setDaemon(true);
        dispatcher.start();
    }

    /** Never blocks: safe on a monitor reader. */
    void submit(Runnable task) {
        if (closed) {
            return;
        }
        handed.add(task);
        LockSupport.unpark(dispatcher);
    }

    private void dispatch() {
        while (!closed) {
            Runnable task = handed.poll();
            if (task == null) {
                LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(500));
                continue;
            }
            try {
                work.execute(task);
            } catch (RejectedExecutionException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(dispatcher);
        work.shutdownNow();
        try {
            if (!work.awaitTermination(2, TimeUnit.SECONDS)) {
                log.debug("after-connect work still running at close");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
