package io.qeventd.testkit.vm;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Polls a condition until it holds or a deadline passes, for state that changes on another thread with no
 * event a test could wait on (a monitor's state, a directory's contents as the daemon sees them).
 */
public final class Eventually {
    private static final long POLL_MILLIS = 10;

    private Eventually() {
    }

    /**
     * @param what described in the failure message
     * @throws AssertionError naming {@code what} when the deadline passes first
     */
    public static void await(String what, Duration deadline, BooleanSupplier condition) {
        long end = System.nanoTime() + deadline.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not within " + deadline.toMillis() + " ms: " + what);
            }
            pause();
        }
    }

    /** Like {@link #await}, and says what {@code state} last was when it fails. */
    public static <T> T await(String what, Duration deadline, Supplier<T> state, Predicate<T> ok) {
        long end = System.nanoTime() + deadline.toNanos();
        T last = state.get();
        while (!ok.test(last)) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not within " + deadline.toMillis() + " ms: " + what + "; last: " + last);
            }
            pause();
            last = state.get();
        }
        return last;
    }

    private static void pause() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting", e);
        }
    }
}
