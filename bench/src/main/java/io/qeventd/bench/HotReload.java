package io.qeventd.bench;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Stage;
import io.qeventd.runtime.config.ConfigLoader;
import io.qeventd.runtime.daemon.Daemon;
import io.qeventd.runtime.daemon.RuntimeModule;
import io.qeventd.runtime.host.InMemoryHostNetwork;
import io.qeventd.runtime.journal.Journal;
import io.qeventd.runtime.journal.JournalRecord;
import io.qeventd.runtime.journal.Outcome;
import io.qeventd.runtime.plugin.PluginHost;
import io.qeventd.runtime.plugin.PluginLifecycle;
import java.io.BufferedReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.pf4j.RuntimeMode;
import org.slf4j.LoggerFactory;

/**
 * Hot reload under load: a daemon (built as {@code qeventd run} builds it, its plugins directory watched) runs the
 * lifecycle plugin's jar while a stand-in QEMU sends a steady stream; a new version of that jar lands in the plugins
 * directory (an atomic rename, as a package manager does). Measured: the time from the landing to the new version's
 * first processed event, the events the reload held, and from the journal file that every event sent has exactly one
 * outcome.
 */
final class HotReload {
    /**
     * @param sent          events the stand-in QEMU sent
     * @param exactlyOnce   of these, the ones with exactly one outcome in the journal file
     * @param missing       the ones with none
     * @param repeated      the ones with more than one
     * @param overflowed    outcomes that were overflow (an outcome, but the event was not processed)
     * @param reloadMillis  the jar's landing to the new version's first processed event
     * @param swapMillis    the reload transaction alone (check to release), as the daemon counts it, or NaN
     * @param held          events held by the reload: received before the new version took over, processed by it
     *                      (from the journal's receipt-to-start latencies and the instant the new version started)
     * @param queuedAtSwap  events queued for the plugin when its old version had drained, as the daemon logs it,
     *                      or -1 when it did not say
     */
    record Result(long sent, long exactlyOnce, long missing, long repeated, long overflowed, double reloadMillis,
                  double swapMillis, long held, long queuedAtSwap) {
    }

    private static final String RELOADED = "plugin {} reloaded {} -> {} in {} ms, {} event(s) held{}";

    private final Path dir;
    private final Duration patience;

    HotReload(Path dir, Duration patience) {
        this.dir = dir;
        this.patience = patience;
    }

    Result run(long perSecond) throws Exception {
        Path jar = BuiltInPlugins.jar(BuiltInPlugins.LIFECYCLE);
        String next = BuiltInPlugins.nextVersion(BuiltInPlugins.attribute(jar, "Plugin-Version"));
        Path plugins = BuiltInPlugins.directoryWith(dir, "reload-plugins", List.of(jar));
        Path incoming = Files.createDirectories(dir.resolve("reload-incoming")).resolve(jar.getFileName());
        BuiltInPlugins.withVersion(jar, next, incoming);
        Path journalFile = dir.resolve("reload-journal.jsonl");
        Files.deleteIfExists(journalFile);

        AtomicLong ended = new AtomicLong();
        AtomicLong overflowed = new AtomicLong();
        AtomicReference<Instant> firstOnNew = new AtomicReference<>();
        AtomicReference<Instant> newStarted = new AtomicReference<>();
        ReloadLog reloadLog = ReloadLog.attach();
        try (FloodServer qemu = new FloodServer(dir.resolve("reload.qmp"))) {
            Path config = dir.resolve("reload.yaml");
            Files.writeString(config, "plugins:\n  dir: " + DaemonProcess.quoted(plugins) + "\n"
                    + "admin:\n  socket: " + DaemonProcess.quoted(dir.resolve("reload-admin.sock")) + "\n"
                    + "journal: " + DaemonProcess.quoted(journalFile) + "\n"
                    + "domains:\n  - name: vm1\n    qmp: " + DaemonProcess.quoted(qemu.socket()) + "\n");
            Injector injector = Guice.createInjector(Stage.PRODUCTION,
                    new RuntimeModule(ConfigLoader.load(config), new InMemoryHostNetwork(), RuntimeMode.DEPLOYMENT));
            injector.getInstance(Journal.class).addSink((JournalRecord r) -> {
                if (!BuiltInPlugins.LIFECYCLE.equals(r.plugin()) || r.event().startsWith("resync")) {
                    return;
                }
                if (r.outcome() == Outcome.SLOW) {
                    return;
                }
                if (r.outcome() == Outcome.OVERFLOW) {
                    overflowed.incrementAndGet();
                }
                if (r.outcome() == Outcome.PROCESSED && next.equals(r.pluginVersion())) {
                    firstOnNew.compareAndSet(null, r.time());
                }
                ended.incrementAndGet();
            });
            Daemon daemon = injector.getInstance(Daemon.class);
            // Told on the plugin-manager thread once the new version is in the table, just before the hold ends.
            daemon.plugins().addStateListener((status, before) -> {
                if (BuiltInPlugins.LIFECYCLE.equals(status.id()) && status.state() == PluginLifecycle.STARTED
                        && next.equals(status.version())) {
                    newStarted.compareAndSet(null, Instant.now());
                }
            });
            Instant landed;
            long sent;
            try {
                daemon.start();
                qemu.awaitNegotiated();
                Stream stream = new Stream(qemu, perSecond);
                stream.start();
                try {
                    // The old version handles the stream for half a second before the new jar lands.
                    await(ended::get, Math.max(1, perSecond / 2), "events handled before the reload");
                    landed = Instant.now();
                    Files.move(incoming, plugins.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING,
                            StandardCopyOption.ATOMIC_MOVE);
                    await(() -> firstOnNew.get() == null ? 0 : 1, 1, "the new version's first processed event");
                    long after = ended.get();
                    await(ended::get, after + Math.max(1, perSecond / 2), "events handled after the reload");
                } finally {
                    sent = stream.finish();
                }
                await(ended::get, sent, "every event sent to end");
            } finally {
                daemon.stop(Duration.ofSeconds(30));
            }
            double reloadMillis = Duration.between(landed, firstOnNew.get()).toNanos() / 1e6;
            long[] counts = outcomesPerEvent(journalFile, sent, next, newStarted.get());
            return new Result(sent, counts[0], counts[1], counts[2], overflowed.get(), reloadMillis,
                    reloadLog.swapMillis(), counts[3], reloadLog.held());
        } finally {
            reloadLog.detach();
        }
    }

    /**
     * From the journal file: events 1..sent with exactly one outcome, with none, with more than one; and the events
     * the new version processed that had been received before it started (held by the reload).
     */
    private static long[] outcomesPerEvent(Path journalFile, long sent, String next, Instant newStarted)
            throws Exception {
        ObjectMapper json = new ObjectMapper();
        Map<Long, Integer> perSeq = new HashMap<>();
        long held = 0;
        try (BufferedReader in = Files.newBufferedReader(journalFile)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                JsonNode r = json.readTree(line);
                if (!BuiltInPlugins.LIFECYCLE.equals(r.path("plugin").asText())
                        || r.path("event").asText().startsWith("resync")
                        || r.path("outcome").asText().equals("slow") || !r.has("seq")) {
                    continue;
                }
                perSeq.merge(r.get("seq").asLong(), 1, Integer::sum);
                if (newStarted != null && next.equals(r.path("pluginVersion").asText()) && r.has("latencyMicros")
                        && !r.get("latencyMicros").isNull()) {
                    long micros = r.get("latencyMicros").asLong() + r.path("processingMicros").asLong();
                    Instant received = Instant.parse(r.get("time").asText()).minusNanos(micros * 1000);
                    if (received.isBefore(newStarted)) {
                        held++;
                    }
                }
            }
        }
        long once = 0;
        long none = 0;
        long more = 0;
        for (long seq = 1; seq <= sent; seq++) {
            int n = perSeq.getOrDefault(seq, 0);
            if (n == 1) {
                once++;
            } else if (n == 0) {
                none++;
            } else {
                more++;
            }
        }
        return new long[] {once, none, more, held};
    }

    private void await(LongSupplier done, long target, String what) throws InterruptedException {
        long end = System.nanoTime() + patience.toNanos();
        while (done.getAsLong() < target) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException("hot reload: " + what + ": only " + done.getAsLong() + " of " + target
                        + " within " + patience.toSeconds() + " s");
            }
            Thread.sleep(1); // polling a counter: the measurement's own resolution is far coarser
        }
    }

    /** The steady stream, a tenth of a second at a time, until told to finish. */
    private static final class Stream extends Thread {
        private final FloodServer qemu;
        private final long perSecond;
        private volatile boolean finishing;
        private volatile long sent;
        private volatile Exception failure;

        Stream(FloodServer qemu, long perSecond) {
            super("reload-stream");
            setDaemon(true);
            this.qemu = qemu;
            this.perSecond = perSecond;
        }

        @Override
        public void run() {
            long slice = Math.max(1, perSecond / 10);
            try {
                while (!finishing) {
                    qemu.steady(slice, perSecond);
                    sent += slice;
                }
            } catch (Exception e) {
                failure = e;
            }
        }

        /** Stops after the slice under way; returns how many events were sent. */
        long finish() throws Exception {
            finishing = true;
            join();
            if (failure != null) {
                throw failure;
            }
            return sent;
        }
    }

    /** What the daemon says of a reload in its log: the transaction's length and the events queued at the swap. */
    private static final class ReloadLog extends AppenderBase<ILoggingEvent> {
        private final Logger logger = (Logger) LoggerFactory.getLogger(PluginHost.class);
        private Level level;
        private boolean additive;
        private volatile double swapMillis = Double.NaN;
        private volatile long held = -1;

        static ReloadLog attach() {
            ReloadLog a = new ReloadLog();
            a.setContext(a.logger.getLoggerContext());
            a.start();
            a.level = a.logger.getLevel();
            a.additive = a.logger.isAdditive();
            // The bench's own output is the figures: the plugin host's lines come here, not to stderr.
            a.logger.setAdditive(false);
            a.logger.setLevel(Level.INFO);
            a.logger.addAppender(a);
            return a;
        }

        @Override
        protected void append(ILoggingEvent e) {
            Object[] args = e.getArgumentArray();
            if (RELOADED.equals(e.getMessage()) && args != null && args.length >= 5) {
                swapMillis = ((Number) args[3]).doubleValue();
                held = ((Number) args[4]).longValue();
            } else if (e.getLevel().isGreaterOrEqual(Level.WARN)) {
                System.err.println("hot reload: " + e.getLevel() + " " + e.getFormattedMessage());
            }
        }

        double swapMillis() {
            return swapMillis;
        }

        long held() {
            return held;
        }

        void detach() {
            logger.detachAppender(this);
            logger.setLevel(level);
            logger.setAdditive(additive);
            stop();
        }
    }
}
