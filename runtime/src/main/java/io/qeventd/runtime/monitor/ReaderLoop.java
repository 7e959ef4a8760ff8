package io.qeventd.runtime.monitor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
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
        ReaderThread(Runnable r, String name) {
            super(r, name);
            setDaemon(true);
        }
    }

    private final Selector selector;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
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

    /** Runs {@code task} on this reader thread, soon. */
    void execute(Runnable task) {
        tasks.add(task);
        selector.wakeup();
    }

    @Override
    public void run() {
        while (running) {
            try {
                selector.select(this::ready);
                Runnable task;
                while ((task = tasks.poll()) != null) {
                    runSafely(task);
                }
            } catch (ClosedSelectorException e) {
                break;
            } catch (IOException | RuntimeException e) {
                // A reader must outlive any one connection's trouble.
                log.error("monitor reader {}: unexpected failure, continuing", thread.getName(), e);
            }
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
