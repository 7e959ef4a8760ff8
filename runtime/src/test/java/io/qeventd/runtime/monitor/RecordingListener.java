package io.qeventd.runtime.monitor;

import io.qeventd.runtime.qmp.QmpMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Records every call a monitor makes to its listener, with the thread it came on, and lets a test wait
 * for a number of calls with a deadline. {@link #timeline()} keeps the order of all calls together.
 */
final class RecordingListener implements MonitorListener {

    record Connected(QmpMessage.Greeting greeting, boolean reconnected, String thread) {
    }

    record Received(QmpMessage.Event event, long receivedNanos, Instant received, String thread) {
    }

    record Disconnected(Throwable cause, String thread) {
    }

    private final Object lock = new Object();
    private final List<Connected> connected = new ArrayList<>(); // guarded by lock
    private final List<Received> events = new ArrayList<>(); // guarded by lock
    private final List<Disconnected> disconnected = new ArrayList<>(); // guarded by lock
    private final List<String> timeline = new ArrayList<>(); // guarded by lock

    @Override
    public void connected(MonitorConnection monitor, QmpMessage.Greeting greeting, boolean reconnected) {
        synchronized (lock) {
            connected.add(new Connected(greeting, reconnected, Thread.currentThread().getName()));
            timeline.add(reconnected ? "reconnected" : "connected");
            lock.notifyAll();
        }
    }

    @Override
    public void event(MonitorConnection monitor, QmpMessage.Event event, long receivedNanos, Instant received) {
        synchronized (lock) {
            events.add(new Received(event, receivedNanos, received, Thread.currentThread().getName()));
            timeline.add("event " + event.name());
            lock.notifyAll();
        }
    }

    @Override
    public void disconnected(MonitorConnection monitor, Throwable cause) {
        synchronized (lock) {
            disconnected.add(new Disconnected(cause, Thread.currentThread().getName()));
            timeline.add("disconnected");
            lock.notifyAll();
        }
    }

    List<Connected> connected() {
        synchronized (lock) {
            return List.copyOf(connected);
        }
    }

    List<Received> events() {
        synchronized (lock) {
            return List.copyOf(events);
        }
    }

    List<Disconnected> disconnected() {
        synchronized (lock) {
            return List.copyOf(disconnected);
        }
    }

    List<String> timeline() {
        synchronized (lock) {
            return List.copyOf(timeline);
        }
    }

    /** Waits until at least {@code count} connected() calls were made; returns all made so far. */
    List<Connected> awaitConnected(int count) throws InterruptedException {
        return await(() -> connected.size() >= count ? List.copyOf(connected) : null, count + " connected() calls");
    }

    /** Waits until at least {@code count} events arrived; returns all so far, in arrival order. */
    List<Received> awaitEvents(int count) throws InterruptedException {
        return await(() -> events.size() >= count ? List.copyOf(events) : null, count + " events");
    }

    List<Disconnected> awaitDisconnected(int count) throws InterruptedException {
        return await(() -> disconnected.size() >= count ? List.copyOf(disconnected) : null,
                count + " disconnected() calls");
    }

    private <T> T await(Supplier<T> probe, String what) throws InterruptedException {
        Duration timeout = MonitorHarness.WAIT;
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            for (T value = probe.get(); ; value = probe.get()) {
                if (value != null) {
                    return value;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("listener: no " + what + " within " + timeout + "; calls so far: "
                            + summary());
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
        }
    }

    private String summary() {
        int shown = Math.min(timeline.size(), 20);
        return timeline.size() + " " + timeline.subList(timeline.size() - shown, timeline.size())
                + (shown < timeline.size() ? " (last " + shown + ")" : "");
    }
}
