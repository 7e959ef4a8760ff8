package io.qeventd.runtime.demo;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The demo into a pipe or a file: lines as they come, and a progress line now and then instead of a
 * redrawn view. A thread of its own prints, so that writers (some are monitor readers) never wait on the
 * output.
 */
final class PlainConsole implements DemoConsole {
    private static final long TICK_MILLIS = 100;

    private final PrintWriter out;
    private final Supplier<String> progress;
    private final long ticksPerProgress;
    private final Queue<String> pending = new ConcurrentLinkedQueue<>();
    private final ScheduledExecutorService printer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "qeventd-demo-output");
        t.setDaemon(true);
        return t;
    });
    private long ticks; // touched only on the printer thread

    PlainConsole(PrintWriter out, Supplier<String> progress, Duration every) {
        this.out = out;
        this.progress = progress;
        this.ticksPerProgress = Math.max(1, every.toMillis() / TICK_MILLIS);
    }

    @Override
    public void line(String text) {
        pending.add(text);
    }

    @Override
    public void start() {
        printer.scheduleAtFixedRate(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        printPending();
        if (++ticks % ticksPerProgress == 0) {
            try {
                out.println(progress.get());
            } catch (RuntimeException e) {
                out.println("(progress: " + e + ")");
            }
        }
        out.flush();
    }

    private synchronized void printPending() {
        for (String l = pending.poll(); l != null; l = pending.poll()) {
            out.println(l);
        }
    }

    @Override
    public void close() {
        printer.shutdownNow();
        try {
            printer.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        printPending();
        out.flush();
    }
}
