package io.qeventd.testkit.vm;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * What other threads hand a test (journal records, events, lines), kept in arrival order, and waiting for the
 * ones the test expects: the waiter wakes on each arrival, with no polling.
 *
 * <pre>{@code
 * Recording<String> seen = new Recording<>();
 * source.onLine(seen::add);
 * seen.awaitOne(line -> line.startsWith("done"), Duration.ofSeconds(10));
 * }</pre>
 *
 * @param <T> what is recorded
 */
public class Recording<T> {
    private final List<T> items = new ArrayList<>();

    /** Records {@code item} and wakes whoever waits. */
    public synchronized void add(T item) {
        items.add(item);
        notifyAll();
    }

    /** Everything recorded so far, in order. */
    public synchronized List<T> records() {
        return List.copyOf(items);
    }

    /** What was recorded so far and matches {@code filter}, in order. */
    public synchronized List<T> records(Predicate<? super T> filter) {
        return items.stream().filter(filter).toList();
    }

    /**
     * Waits until at least {@code count} recorded items match, and returns the matching ones.
     *
     * @throws TimeoutException fewer matched by the deadline; the message lists everything recorded
     */
    public synchronized List<T> await(Predicate<? super T> filter, int count, Duration deadline)
            throws InterruptedException, TimeoutException {
        long end = System.nanoTime() + deadline.toNanos();
        while (true) {
            List<T> matching = records(filter);
            if (matching.size() >= count) {
                return matching;
            }
            long left = end - System.nanoTime();
            if (left <= 0) {
                throw new TimeoutException("expected " + count + " matching " + what() + " within "
                        + deadline.toMillis() + " ms, got " + matching.size() + "; all records: " + items);
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    /** Waits for the first recorded item that matches, and returns it. */
    public T awaitOne(Predicate<? super T> filter, Duration deadline) throws InterruptedException, TimeoutException {
        return await(filter, 1, deadline).get(0);
    }

    /** What the items are, for the failure message of {@link #await}. */
    protected String what() {
        return "records";
    }
}
