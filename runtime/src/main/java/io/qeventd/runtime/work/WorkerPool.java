package io.qeventd.runtime.work;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker threads. A monitor reader hands lanes to them, so handing over must never block: tasks go into a
 * lock-free queue and an idle worker is unparked (a {@code ThreadPoolExecutor}'s queue takes a lock that its
 * workers also hold, and BlockHound caught a reader parking on it). The pool can grow by a thread to stand in
 * for one stuck in a processor that never returned, and shrink again when that one comes back.
 */
final class WorkerPool {
    private static final Logger log = LoggerFactory.getLogger(WorkerPool.class);
    private static final long IDLE_PARK_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final String namePrefix;
    private final ConcurrentLinkedQueue<Runnable> ready = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Worker> idle = new ConcurrentLinkedQueue<>();
    private final Set<Worker> workers = ConcurrentHashMap.newKeySet();
    private final AtomicInteger names = new AtomicInteger();
    private volatile boolean shutdown;

    private final class Worker extends Thread {
        volatile boolean retire;

        Worker() {
            super(namePrefix + names.getAndIncrement());
            setDaemon(true);
        }

        @Override
        public void run() {
            try {
                while (!shutdown && !retire) {
                    Runnable task = ready.poll();
                    if (task != null) {
                        runSafely(task);
                        continue;
                    }
                    idle.add(this);
                    // Re-check after announcing ourselves idle: a task queued in between is not missed.
                    if (ready.isEmpty() && !shutdown) {
                        LockSupport.parkNanos(WorkerPool.this, IDLE_PARK_NANOS);
                    }
                    idle.remove(this);
                }
            } finally {
                workers.remove(this);
            }
        }
    }

    WorkerPool(int threads, String namePrefix) {
        this.namePrefix = namePrefix;
        for (int i = 0; i < threads; i++) {
            add();
        }
    }

    /** Queues a task; never blocks. */
    void execute(Runnable task) {
        if (shutdown) {
            throw new RejectedExecutionException("the worker pool is shut down");
        }
        ready.add(task);
        Worker w = idle.poll();
        if (w != null) {
            LockSupport.unpark(w);
        }
    }

    /** One more worker, standing in for one that is stuck. */
    void add() {
        Worker w = new Worker();
        workers.add(w);
        w.start();
    }

    /** The calling worker leaves the pool once its current task returns (it had been stood in for). */
    void retireCurrentThread() {
        if (Thread.currentThread() instanceof WorkerPool.Worker w) {
            w.retire = true;
        }
    }

    int size() {
        return workers.size();
    }

    void shutdownNow() {
        shutdown = true;
        for (Worker w : workers) {
            w.interrupt();
            LockSupport.unpark(w);
        }
    }

    private static void runSafely(Runnable task) {
        try {
            task.run();
        } catch (Throwable t) {
            log.error("worker task failed", t);
        }
        Thread.interrupted(); // an interrupt meant for one task does not carry over to the next
    }
}
