package io.qeventd.runtime.monitor;

/**
 * The end of a reader round: everything one select returned, then the reader's due tasks and timers. A reader
 * that reads hundreds of events from one socket read hands them on as they are parsed, but wakes the workers
 * for them once, at the end of the round, rather than once for every event that finds its worker idle: a wake
 * is a system call, and in a flood it cost more than the event.
 */
public final class ReaderRound {
    private ReaderRound() {
    }

    /** Runs {@code wake} at the end of the current round on a reader thread; at once on any other thread. */
    public static void atEnd(Runnable wake) {
        if (!ReaderLoop.deferToRoundEnd(wake)) {
            wake.run();
        }
    }
}
