package io.qeventd.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.qeventd.api.EventType;
import io.qeventd.api.Handler;
import io.qeventd.runtime.journal.JournalRecord;
import io.qeventd.runtime.journal.JournalSync;
import io.qeventd.runtime.journal.Outcome;
import io.qeventd.runtime.monitor.MonitorConnection;
import io.qeventd.runtime.monitor.MonitorListener;
import io.qeventd.runtime.monitor.MonitorOptions;
import io.qeventd.runtime.monitor.MonitorReactor;
import io.qeventd.runtime.qmp.QmpMessage;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/** The measurements. Each returns its figures; rates are events per second over the whole flood. */
final class Scenarios {
    enum Type implements EventType { NOOP, EVERY, STALL }

    private final Path dir;
    private final long events;
    private final Duration patience;

    Scenarios(Path dir, long events) {
        this.dir = dir;
        this.events = events;
        this.patience = Duration.ofMinutes(5);
    }

    /** The wire limit: a raw NIO reader counting the newlines of the same flood, on the same kind of socket. */
    double wire() throws Exception {
        try (FloodServer qemu = new FloodServer(dir.resolve("wire.qmp"));
             SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            c.connect(UnixDomainSocketAddress.of(qemu.socket()));
            c.write(ByteBuffer.wrap("{\"execute\": \"qmp_capabilities\", \"id\": 1}\n".getBytes(StandardCharsets.UTF_8)));
            qemu.awaitNegotiated();
            long[] lines = {0};
            Thread reader = new Thread(() -> {
                ByteBuffer in = ByteBuffer.allocateDirect(256 * 1024);
                byte[] chunk = new byte[256 * 1024];
                try {
                    while (lines[0] < events + 2) {
                        in.clear();
                        int n = c.read(in);
                        if (n < 0) {
                            return;
                        }
                        in.flip();
                        in.get(chunk, 0, n);
                        for (int i = 0; i < n; i++) {
                            if (chunk[i] == '\n') {
                                lines[0]++;
                            }
                        }
                    }
                } catch (IOException e) {
                    // the flood ended
                }
            }, "wire-reader");
            long start = System.nanoTime();
            reader.start();
            qemu.flood(events);
            reader.join(patience.toMillis());
            return events / seconds(start);
        }
    }

    /** The monitor reader alone: framing, parsing, the event handed to a listener that counts it. */
    double readerOnly() throws Exception {
        AtomicLong seen = new AtomicLong();
        try (FloodServer qemu = new FloodServer(dir.resolve("reader.qmp"));
             MonitorReactor reactor = new MonitorReactor(1, new ObjectMapper())) {
            MonitorConnection m = reactor.open("vm", UnixDomainSocketAddress.of(qemu.socket()),
                    MonitorOptions.defaults().withReconnect(false), new MonitorListener() {
                        @Override
                        public void event(MonitorConnection monitor, QmpMessage.Event event, long nanos, Instant at) {
                            seen.incrementAndGet();
                        }
                    });
            m.firstConnect().get();
            qemu.awaitNegotiated();
            long start = System.nanoTime();
            qemu.flood(events);
            await(seen::get, events);
            return events / seconds(start);
        }
    }

    /** What a pipeline run gives: events per second that ended, of which processed, and overflowed. */
    record PipeRun(double endedPerSecond, double processedPerSecond, long processed, long overflow, long peakRssKib) {
    }

    /**
     * What runs the events: nothing, a no-op processor, the built-in lifecycle plugin (its jar from the
     * distribution's plugins directory, loaded as the daemon loads it), a plugin that takes every event.
     */
    enum Handlers { NONE, NOOP, LIFECYCLE, EVERY_EVENT }

    private void install(Pipe p, Handlers handlers) throws IOException {
        switch (handlers) {
            case NOOP -> p.register("noop",
                    Handler.on("STOP", Map.class).type(Type.NOOP).process((ctx, e) -> { }),
                    Handler.on("RESUME", Map.class).type(Type.NOOP).process((ctx, e) -> { }));
            case LIFECYCLE -> p.loadPlugins(BuiltInPlugins.directoryWith(dir, "lifecycle-plugins",
                    List.of(BuiltInPlugins.jar(BuiltInPlugins.LIFECYCLE))));
            case EVERY_EVENT -> p.register("every", Handler.onEveryEvent().type(Type.EVERY).process((ctx, e) -> { }));
            case NONE -> { }
        }
    }

    /** The whole pipeline under a flood from one monitor, with default settings unless told. */
    PipeRun pipeline(Handlers handlers, JournalSync journal, int queueLimit) throws Exception {
        try (FloodServer qemu = new FloodServer(dir.resolve("pipe.qmp"));
             Pipe p = new Pipe(Pipe.options(4, queueLimit, false))) {
            install(p, handlers);
            if (journal != null) {
                Path file = dir.resolve("journal-" + journal.configName() + ".jsonl");
                Files.deleteIfExists(file);
                p.journalTo(file, journal);
            }
            p.attach("vm1", qemu.socket());
            qemu.awaitNegotiated();
            long base = p.ended();
            long start = System.nanoTime();
            RssWatch rss = RssWatch.start();
            qemu.flood(events);
            await(() -> p.ended() - base, events);
            double s = seconds(start);
            long peak = rss.stop();
            long processed = p.count(Outcome.PROCESSED);
            return new PipeRun(events / s, processed / s, processed, p.count(Outcome.OVERFLOW), peak);
        }
    }

    /**
     * A flood spread over {@code monitors} monitors (the events divided evenly, written by a few threads at once)
     * into a no-op processor, journal off, default settings.
     */
    PipeRun spreadFlood(int monitors) throws Exception {
        long per = Math.max(1, events / monitors);
        long total = per * monitors;
        List<FloodServer> servers = new ArrayList<>();
        ExecutorService writers = Executors.newFixedThreadPool(Math.min(monitors, 4));
        try (Pipe p = new Pipe(Pipe.options(4, 1024, false))) {
            install(p, Handlers.NOOP);
            for (int i = 0; i < monitors; i++) {
                FloodServer s = new FloodServer(dir.resolve("spread-" + i + ".qmp"));
                servers.add(s);
                p.attach("vm" + i, s.socket());
            }
            for (FloodServer s : servers) {
                s.awaitNegotiated();
            }
            long base = p.ended();
            long start = System.nanoTime();
            RssWatch rss = RssWatch.start();
            List<Future<?>> floods = new ArrayList<>();
            for (FloodServer s : servers) {
                floods.add(writers.submit(() -> {
                    s.flood(per);
                    return null;
                }));
            }
            for (Future<?> f : floods) {
                f.get();
            }
            await(() -> p.ended() - base, total);
            double secs = seconds(start);
            long peak = rss.stop();
            long processed = p.count(Outcome.PROCESSED);
            return new PipeRun(total / secs, processed / secs, processed, p.count(Outcome.OVERFLOW), peak);
        } finally {
            writers.shutdownNow();
            for (FloodServer s : servers) {
                s.close();
            }
        }
    }

    /** A steady rate from one monitor for a while, no-op processor, journal on: how many events overflowed. */
    long steadyOverflow(long perSecond, Duration length, int queueLimit) throws Exception {
        long count = perSecond * length.toSeconds();
        try (FloodServer qemu = new FloodServer(dir.resolve("steady.qmp"));
             Pipe p = new Pipe(Pipe.options(4, queueLimit, false))) {
            p.register("noop", Handler.on("STOP", Map.class).type(Type.NOOP).process((ctx, e) -> { }),
                    Handler.on("RESUME", Map.class).type(Type.NOOP).process((ctx, e) -> { }));
            Path file = dir.resolve("journal-steady.jsonl");
            Files.deleteIfExists(file);
            p.journalTo(file, JournalSync.NEVER);
            p.attach("vm1", qemu.socket());
            qemu.awaitNegotiated();
            long base = p.ended();
            qemu.steady(count, perSecond);
            await(() -> p.ended() - base, count);
            return p.count(Outcome.OVERFLOW);
        }
    }

    /** Latency (receipt to processor start) of other domains while one domain's processor sleeps 1 s an event. */
    record Isolation(double p50Millis, double p99Millis, double maxMillis) {
    }

    Isolation isolation(boolean globalFifo, int perDomain) throws Exception {
        List<Long> latencies = new CopyOnWriteArrayList<>();
        List<FloodServer> servers = new ArrayList<>();
        try (Pipe p = new Pipe(Pipe.options(4, 100_000, globalFifo))) {
            p.register("work", Handler.on("STOP", Map.class).type(Type.STALL).process((ctx, e) -> {
                if (ctx.domain().name().equals("stalled")) {
                    Thread.sleep(1000);
                }
            }), Handler.on("RESUME", Map.class).type(Type.STALL).process((ctx, e) -> { }));
            p.journal.addSink((JournalRecord r) -> {
                if (!"stalled".equals(r.domain()) && r.outcome() == Outcome.PROCESSED && r.latencyMicros() != null) {
                    latencies.add(r.latencyMicros());
                }
            });
            String[] names = {"stalled", "a", "b", "c"};
            for (String n : names) {
                FloodServer s = new FloodServer(dir.resolve("iso-" + n + ".qmp"));
                servers.add(s);
                p.attach(n, s.socket());
                s.awaitNegotiated();
            }
            servers.get(0).flood(4);
            long base = p.ended();
            for (int i = 1; i < servers.size(); i++) {
                servers.get(i).steady(perDomain, 1000);
            }
            await(() -> p.ended() - base, (long) perDomain * (servers.size() - 1));
        } finally {
            for (FloodServer s : servers) {
                s.close();
            }
        }
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        if (sorted.isEmpty()) {
            return new Isolation(Double.NaN, Double.NaN, Double.NaN);
        }
        return new Isolation(pct(sorted, 50) / 1000.0, pct(sorted, 99) / 1000.0, sorted.get(sorted.size() - 1) / 1000.0);
    }

    /** Heap and threads for {@code n} idle monitors (connected and negotiated, no events). */
    record Idle(int monitors, double heapKibPerMonitor, int threads) {
    }

    Idle idleMonitors(int n) throws Exception {
        List<FloodServer> servers = new ArrayList<>();
        try (Pipe p = new Pipe(Pipe.options(4, 1024, false))) {
            long before = usedHeapAfterGc();
            int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
            for (int i = 0; i < n; i++) {
                FloodServer s = new FloodServer(dir.resolve("idle-" + i + ".qmp"));
                servers.add(s);
                p.attach("vm" + i, s.socket());
            }
            for (FloodServer s : servers) {
                s.awaitNegotiated();
            }
            long after = usedHeapAfterGc();
            // Each stand-in QEMU here is a thread of this JVM; the daemon's own threads do not grow with monitors.
            int threads = ManagementFactory.getThreadMXBean().getThreadCount() - threadsBefore - n;
            return new Idle(n, (after - before) / 1024.0 / n, threads);
        } finally {
            for (FloodServer s : servers) {
                s.close();
            }
        }
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50); // lets the collector settle between requests
        }
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    private static long pct(List<Long> sorted, int p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }

    private void await(LongSupplier done, long target) throws InterruptedException {
        long end = System.nanoTime() + patience.toNanos();
        while (done.getAsLong() < target) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException("only " + done.getAsLong() + " of " + target + " events ended within "
                        + patience.toMinutes() + " min");
            }
            Thread.sleep(1); // polling a counter: the measurement's own resolution is far coarser
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
