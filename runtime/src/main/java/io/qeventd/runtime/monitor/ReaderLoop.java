package io.qeventd.runtime.monitor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One monitor reader thread: a selector serving many monitor connections with non-blocking I/O.
 * Work for its connections from other threads arrives as tasks, so each connection's state is only
 * ever touched here.
 */
final class ReaderLoop implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(ReaderLoop.class);

    /** Marks a thread as a reader: code that would block can ask {@link MonitorReactor#isReaderThread()}. */
    static final class ReaderThread extends Thread {
        /** Hand-offs made during the current round, run once at its end (touched on this thread only). */
        private final ArrayList<Runnable> atRoundEnd = new ArrayList<>();

        ReaderThread(Runnable r, String name) {
            super(r, name);
            setDaemon(true);
        }
    }

    /** See {@link ReaderRound#atEnd}. */
    static boolean deferToRoundEnd(Runnable wake) {
        if (Thread.currentThread() instanceof ReaderThread t) {
            t.atRoundEnd.add(wake);
            return true;
        }
        return false;
    }

    private void endRound() {
        ArrayList<Runnable> wakes = thread.atRoundEnd;
        for (int i = 0; i < wakes.size(); i++) {
            runSafely(wakes.get(i));
        }
        wakes.clear();
    }

    private final Selector selector;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    /** Timers of this reader, touched only on its thread: no lock, no other thread's queue. */
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private long timerSeq;

    /** A task due at a time on this reader's thread; cancel from any thread. */
    static final class Timer implements Comparable<Timer> {
        final long due;
        final long seq;
        final Runnable task;
        volatile boolean cancelled;

        Timer(long due, long seq, Runnable task) {
            this.due = due;
            this.seq = seq;
            this.task = task;
        }

        void cancel() {
            cancelled = true;
        }

        @Override
        public int compareTo(Timer o) {
            int c = Long.compare(due - o.due, 0);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }
    private final ReaderThread thread;
    private volatile boolean running = true;

    ReaderLoop(String name) {
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector for " + name, e);
        }
        this.thread = new ReaderThread(this, name);
    }

    void start() {
        thread.start();
    }

    Selector selector() {
        return selector;
    }

    boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /**
     * Runs {@code task} on this reader thread after {@code delay}: kept in the reader's own timer queue and run
     * between selects, so scheduling takes no lock. Called on the reader thread; from another, the scheduling
     * itself is handed over first.
     */
    Timer schedule(Duration delay, Runnable task) {
        Timer t = new Timer(System.nanoTime() + delay.toNanos(), 0, task);
        if (inLoop()) {
            add(t);
        } else {
            execute(() -> add(t));
        }
        return t;
    }

    private void add(Timer t) {
        timers.add(new Timer(t.due, timerSeq++, () -> {
            if (!t.cancelled) {
                t.task.run();
            }
        }));
    }

    /** Runs {@code task} on this reader thread, soon. */
    void execute(Runnable task) {
        tasks.add(task);
        selector.wakeup();
    }

    @Override
    public void run() {
        while (running) {
            try {
                selector.select(this::ready, selectTimeoutMillis());
                Runnable task;
                while ((task = tasks.poll()) != null) {
                    runSafely(task);
                }
                runDueTimers();
            } catch (ClosedSelectorException e) {
                break;
            } catch (IOException | RuntimeException e) {
                // A reader must outlive any one connection's trouble.
                log.error("monitor reader {}: unexpected failure, continuing", thread.getName(), e);
            } finally {
                endRound();
            }
        }
    }

    /** 0 (no timeout) when no timer waits; else the time to the first one, at least 1 ms. */
    private long selectTimeoutMillis() {
        Timer first = timers.peek();
        if (first == null) {
            return 0;
        }
        long left = first.due - System.nanoTime();
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(left) + 1);
    }

    private void runDueTimers() {
        long now = System.nanoTime();
        Timer t;
        while ((t = timers.peek()) != null && t.due - now <= 0) {
            timers.poll();
            runSafely(t.task);
        }
    }

    private void ready(SelectionKey key) {
        MonitorConnection conn = (MonitorConnection) key.attachment();
        runSafely(() -> conn.ready(key));
    }

    private void runSafely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException | Error e) {
            log.error("monitor reader {}: task failed", thread.getName(), e);
        }
    }

    void shutdown() {
        running = false;
        selector.wakeup();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            selector.close();
        } catch (IOException e) {
            log.debug("closing selector", e);
        }
    }
}
