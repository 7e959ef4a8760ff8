package io.qeventd.bench;

import io.qeventd.runtime.admin.StatusReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The daemon's own memory: {@code qeventd run} as a separate process ({@link DaemonProcess}) against stand-in
 * QEMUs living in the bench's JVM, its resident set read from /proc/PID/status.
 */
final class DaemonMemory {
    /**
     * A flood into the daemon process.
     *
     * @param idleKib         its RSS once connected, before the flood (the baseline)
     * @param peakKib         its peak RSS (VmHWM) from the flood's start until every event ended
     * @param readPerSecond   events read from the monitor per second, until every event ended
     * @param overflowed      overflow outcomes
     */
    record Flood(long idleKib, long peakKib, double readPerSecond, long overflowed) {
    }

    /**
     * Idle monitors in the daemon process.
     *
     * @param monitors  connected, negotiated monitors without events
     * @param baseKib   its RSS with one such monitor (the baseline: the code that connects has run once)
     * @param kib       its RSS with them
     * @param collected whether both were read after a full collection in the daemon (else they include garbage)
     */
    record Idle(int monitors, long baseKib, long kib, boolean collected) {
        double kibPerMonitor() {
            return (kib - baseKib) / (double) (monitors - 1);
        }
    }

    private final Path dir;
    private final Duration patience;

    DaemonMemory(Path dir, Duration patience) {
        this.dir = dir;
        this.patience = patience;
    }

    /** One monitor, {@code events} events as fast as the socket takes them; the daemon's defaults, a journal if told. */
    Flood flood(String name, long events, boolean journal) throws Exception {
        Path home = dir.resolve("daemon-" + name);
        Files.createDirectories(home);
        try (FloodServer qemu = new FloodServer(home.resolve("vm1.qmp"));
             DaemonProcess d = DaemonProcess.start(home, "domains:\n  - name: vm1\n    qmp: "
                     + DaemonProcess.quoted(qemu.socket()) + "\n"
                     + (journal ? "journal: " + DaemonProcess.quoted(home.resolve("journal.jsonl")) + "\n" : ""))) {
            d.awaitConnected(1, patience);
            qemu.awaitNegotiated();
            RssWatch rss = d.rss();
            long idle = rss.currentKib();
            rss.reset();
            long start = System.nanoTime();
            qemu.flood(events);
            StatusReport last = awaitEnded(d, events);
            double secs = (System.nanoTime() - start) / 1e9;
            long peak = rss.peakKib();
            return new Flood(idle, peak, events / secs, DaemonProcess.outcome(last, "overflow"));
        }
    }

    /** Every event read, none queued, and the outcome counts unchanged over two looks: the flood has ended. */
    private StatusReport awaitEnded(DaemonProcess d, long events) throws Exception {
        long end = System.nanoTime() + patience.toNanos();
        long previous = -1;
        while (true) {
            d.alive();
            StatusReport r = d.status();
            long ended = DaemonProcess.ended(r);
            if (DaemonProcess.read(r) >= events && DaemonProcess.queued(r) == 0 && ended == previous) {
                return r;
            }
            previous = DaemonProcess.read(r) >= events && DaemonProcess.queued(r) == 0 ? ended : -1;
            if (System.nanoTime() > end) {
                throw new IllegalStateException("the daemon (pid " + d.pid() + ") read " + DaemonProcess.read(r)
                        + " of " + events + " events, " + DaemonProcess.queued(r) + " queued, within " + patience);
            }
            Thread.sleep(100); // polling another process's status
        }
    }

    /**
     * The daemon's RSS after full collections, repeated (at most five) until it moves by less than 256 KiB: the
     * collector gives memory back over more than one. Returns the RSS and 1 when collected, 0 when it could not be.
     */
    private static long[] settled(DaemonProcess d, RssWatch rss) throws InterruptedException {
        long last = rss.currentKib();
        for (int i = 0; i < 5; i++) {
            if (!d.collectGarbage()) {
                return new long[] {rss.currentKib(), 0};
            }
            long now = rss.currentKib();
            if (Math.abs(now - last) < 256) {
                return new long[] {now, 1};
            }
            last = now;
        }
        return new long[] {last, 1};
    }

    /**
     * Idle monitors added to one daemon process, in steps: its RSS with one is the baseline, then with each
     * count in {@code steps} (ascending, above 1). The monitors come through socket discovery (sockets appearing in a
     * directory), so that one process, started once, is measured before and after; each RSS is read after a full
     * collection in the daemon when the JDK has jcmd.
     */
    List<Idle> idle(int... steps) throws Exception {
        Path home = dir.resolve("daemon-idle");
        Path sockets = Files.createDirectories(home.resolve("sockets"));
        List<FloodServer> servers = new ArrayList<>();
        List<Idle> out = new ArrayList<>();
        try (DaemonProcess d = DaemonProcess.start(home, "discover:\n  dir: " + DaemonProcess.quoted(sockets) + "\n")) {
            // One monitor first, so that the baseline has loaded and compiled what connecting one takes.
            servers.add(new FloodServer(sockets.resolve("vm0.qmp")));
            d.awaitConnected(1, patience);
            servers.get(0).awaitNegotiated();
            RssWatch rss = d.rss();
            long[] base = settled(d, rss);
            for (int n : steps) {
                for (int i = servers.size(); i < n; i++) {
                    servers.add(new FloodServer(sockets.resolve("vm" + i + ".qmp")));
                }
                d.awaitConnected(n, patience);
                for (FloodServer s : servers) {
                    s.awaitNegotiated();
                }
                long[] now = settled(d, rss);
                out.add(new Idle(n, base[0], now[0], base[1] == 1 && now[1] == 1));
            }
        } finally {
            for (FloodServer s : servers) {
                s.close();
            }
        }
        return out;
    }
}
