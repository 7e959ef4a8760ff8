package io.qeventd.runtime.cli;

import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;

/**
 * SIGTERM and SIGINT start a graceful stop instead of the JVM's abrupt exit, so the daemon can drain
 * its queues, flush the journal and exit 0.
 */
final class Signals {
    private Signals() {
    }

    static void onTermination(Runnable stop) {
        AtomicBoolean once = new AtomicBoolean();
        Runnable runOnce = () -> {
            if (once.compareAndSet(false, true)) {
                Thread t = new Thread(stop, "qeventd-stop");
                t.start();
            }
        };
        Signal.handle(new Signal("TERM"), s -> runOnce.run());
        Signal.handle(new Signal("INT"), s -> runOnce.run());
    }
}
