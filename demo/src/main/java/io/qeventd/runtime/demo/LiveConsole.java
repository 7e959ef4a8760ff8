package io.qeventd.runtime.demo;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The demo on a terminal: new lines scroll by above a status block that is redrawn in place a few times
 * a second (ANSI: cursor up, clear to the end of the screen). Block lines are cut to the terminal's width,
 * since a wrapped line would throw the cursor arithmetic off.
 */
final class LiveConsole implements DemoConsole {
    private static final String CSI = "\u001b[";

    private final PrintWriter out;
    private final Supplier<List<String>> block;
    private final Duration refresh;
    private final int width;
    /** Lines not yet shown; writers never wait for the terminal, since some of them are monitor readers. */
    private final Queue<String> pending = new ConcurrentLinkedQueue<>();
    private final ScheduledExecutorService painter = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "qeventd-demo-view");
        t.setDaemon(true);
        return t;
    });
    private int drawn; // guarded by this

    LiveConsole(PrintWriter out, Supplier<List<String>> block, Duration refresh, int width) {
        this.out = out;
        this.block = block;
        this.refresh = refresh;
        this.width = width;
    }

    /** The terminal width from {@code $COLUMNS} when the shell exports it, else 80. */
    static int terminalWidth() {
        try {
            int columns = Integer.parseInt(System.getenv().getOrDefault("COLUMNS", "80"));
            return columns >= 40 ? columns : 80;
        } catch (NumberFormatException e) {
            return 80;
        }
    }

    @Override
    public void line(String text) {
        pending.add(text);
    }

    @Override
    public void start() {
        painter.scheduleAtFixedRate(this::paintSafely, 0, refresh.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void paintSafely() {
        try {
            paint(block.get());
        } catch (RuntimeException e) {
            line("(status view: " + e + ")");
        }
    }

    private synchronized void paint(List<String> lines) {
        erase();
        printPending();
        for (String l : lines) {
            out.println(l.length() < width ? l : l.substring(0, width - 1));
        }
        drawn = lines.size();
        out.flush();
    }

    private void erase() {
        if (drawn > 0) {
            out.print(CSI + drawn + "F" + CSI + "J");
        }
        drawn = 0;
    }

    @Override
    public void close() {
        painter.shutdownNow();
        try {
            painter.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            erase();
            printPending();
            out.flush();
        }
    }

    private void printPending() {
        for (String l = pending.poll(); l != null; l = pending.poll()) {
            out.println(l);
        }
    }
}
