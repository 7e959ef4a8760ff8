package io.qeventd.plugins.devices;

import io.qeventd.api.ProcessContext;
import io.qeventd.events.DeviceDeleted;
import io.qeventd.events.DeviceUnplugGuestError;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** The {@link DeviceRemoval} service: removals waiting for QEMU's word, by domain and device id. */
final class PendingRemovals implements DeviceRemoval {
    private static final String PERIPHERAL = "/machine/peripheral/";

    private record Key(String domain, String id) {
    }

    private final Map<Key, CompletableFuture<DeviceDeleted>> waiting = new ConcurrentHashMap<>();
    private final DeviceBook book;
    private final Duration defaultTimeout;

    PendingRemovals(DeviceBook book, Duration defaultTimeout) {
        this.book = book;
        this.defaultTimeout = defaultTimeout;
    }

    @Override
    public CompletableFuture<DeviceDeleted> delete(ProcessContext ctx, String id) {
        return delete(ctx, id, defaultTimeout);
    }

    @Override
    public CompletableFuture<DeviceDeleted> delete(ProcessContext ctx, String id, Duration timeout) {
        Objects.requireNonNull(id, "id");
        String domain = ctx.domain().name();
        Key key = new Key(domain, id);
        CompletableFuture<DeviceDeleted> done = new CompletableFuture<>();
        CompletableFuture<DeviceDeleted> earlier = waiting.putIfAbsent(key, done);
        if (earlier != null) {
            return earlier; // one device_del is enough: a second caller waits for the same answer
        }
        pending(domain);
        try {
            ctx.monitor().execute("device_del", Map.of("id", id));
        } catch (RuntimeException e) {
            finish(key, f -> f.completeExceptionally(e));
            return done;
        }
        ctx.report("device_del " + id + ": waiting up to " + timeout.toMillis() + " ms for DEVICE_DELETED");
        after(timeout, () -> finish(key, f -> f.completeExceptionally(new DeviceRemovalTimeoutException(
                "domain '" + domain + "': device " + id + " not deleted within " + timeout.toMillis()
                        + " ms of device_del (the guest may not have released it)"))));
        return done;
    }

    /** QEMU deleted a device: its waiter, if any, completes. True when someone waited. */
    boolean deleted(String domain, DeviceDeleted event) {
        return finish(new Key(domain, id(event.device(), event.path())), f -> f.complete(event));
    }

    /** The guest refused an unplug: its waiter, if any, fails. True when someone waited. */
    boolean refused(String domain, DeviceUnplugGuestError event) {
        String id = id(event.device(), event.path());
        return finish(new Key(domain, id), f -> f.completeExceptionally(new DeviceUnplugException(
                "domain '" + domain + "': the guest refused to release device " + id + " (" + event.path() + ")")));
    }

    /** The device id an event names: {@code device} when given, else the last part of a peripheral's path. */
    static String id(String device, String path) {
        if (device != null && !device.isEmpty()) {
            return device;
        }
        return path.startsWith(PERIPHERAL) ? path.substring(PERIPHERAL.length()) : path;
    }

    private boolean finish(Key key, Consumer<CompletableFuture<DeviceDeleted>> how) {
        CompletableFuture<DeviceDeleted> f = waiting.remove(key);
        if (f == null) {
            return false;
        }
        pending(key.domain());
        how.accept(f);
        return true;
    }

    private void pending(String domain) {
        List<String> ids = new ArrayList<>();
        waiting.keySet().stream().filter(k -> k.domain().equals(domain)).map(Key::id).sorted().forEach(ids::add);
        book.update(domain, d -> d.withPending(ids));
    }

    /**
     * Runs {@code task} after {@code delay} on the JDK's delay executor. Its timer thread is started by whoever
     * schedules first and inherits that thread's context class loader; it must not be this plugin's, or the
     * thread would keep the plugin in memory after unload.
     */
    private static void after(Duration delay, Runnable task) {
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        t.setContextClassLoader(ClassLoader.getPlatformClassLoader());
        try {
            CompletableFuture.delayedExecutor(delay.toMillis(), TimeUnit.MILLISECONDS).execute(task);
        } finally {
            t.setContextClassLoader(before);
        }
    }
}
