package io.qeventd.runtime.cli;

import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGTERM and SIGINT start a graceful stop instead of the JVM's abrupt exit, so the daemon can drain
 * its queues, flush the journal and exit 0; SIGHUP reopens the journal file.
 */
final class Signals {
    private Signals() {
    }

    /**
     * Runs {@code stop} once, on a thread of its own, at the first SIGTERM or SIGINT.
     *
     * @return puts back the handlers that were there before, for a daemon that failed to start
     */
    static Runnable onTermination(Runnable stop) {
        AtomicBoolean once = new AtomicBoolean();
        Runnable runOnce = () -> {
            if (once.compareAndSet(false, true)) {
                Thread t = new Thread(stop, "qeventd-stop");
                t.start();
            }
        };
        Signal term = new Signal("TERM");
        Signal interrupt = new Signal("INT");
        SignalHandler oldTerm = Signal.handle(term, s -> runOnce.run());
        SignalHandler oldInterrupt = Signal.handle(interrupt, s -> runOnce.run());
        return () -> {
            Signal.handle(term, oldTerm);
            Signal.handle(interrupt, oldInterrupt);
        };
    }

    /**
     * Runs {@code reopen} on a thread of its own at each SIGHUP (logrotate's signal) instead of the JVM's
     * default, which ends the process with no drain, flush or clean-up.
     *
     * @return puts back the handler that was there before
     */
    static Runnable onHangup(Runnable reopen) {
        Signal hup = new Signal("HUP");
        SignalHandler old = Signal.handle(hup, s -> {
            Thread t = new Thread(reopen, "qeventd-reopen");
            t.setDaemon(true);
            t.start();
        });
        return () -> Signal.handle(hup, old);
    }
}
