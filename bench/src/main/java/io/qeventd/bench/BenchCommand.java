package io.qeventd.bench;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import io.qeventd.runtime.journal.JournalSync;
import io.qeventd.runtime.work.WorkOptions;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code qeventd bench}: the pipeline's figures, each beside its baseline measured in the same run (the wire
 * limit: a raw reader on the same flood and socket), printed as a table and, with {@code --json}, as JSON lines.
 */
@Command(name = "bench", description = "Measure the pipeline against the wire limit on this machine.",
        mixinStandardHelpOptions = true)
public final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--events", paramLabel = "N", defaultValue = "1000000",
            description = "Events per flood (default: ${DEFAULT-VALUE}).")
    long events;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "3",
            description = "Rounds of the flood scenarios; min / median / max are printed (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--quick", description = "Every scenario (or those named), briefly: 20,000 events, one round,"
            + " fewer monitors.")
    boolean quick;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write every figure as a JSON line to FILE.")
    Path json;

    @Option(names = "--scenario", paramLabel = "NAME", completionCandidates = BenchScenario.Names.class,
            description = "Run only this scenario; repeatable (default: every one). NAME is one of:"
                    + " ${COMPLETION-CANDIDATES}. The wire limit is measured too whenever a rate is read against it.")
    List<String> scenarios = new ArrayList<>();

    /** Runs the benchmark on its own, without the rest of the command line. */
    public static void main(String[] args) {
        System.exit(new picocli.CommandLine(new BenchCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Set<BenchScenario> run = selected();
        if (quick) {
            events = 20_000;
            rounds = 1;
        }
        Path dir = Files.createTempDirectory("qeventd-bench-");
        List<Figure> figures = new ArrayList<>();
        AutoCloseable logLevel = logLevel();
        try {
            Scenarios s = new Scenarios(dir, events);
            out.printf("qeventd bench: %,d events per flood, %d round(s), %d cores; scenarios: %s%n", events, rounds,
                    Runtime.getRuntime().availableProcessors(),
                    String.join(", ", run.stream().map(BenchScenario::id).toList()));
            out.flush();
            boolean wireNeeded = run.stream().anyMatch(BenchScenario::repeated);
            for (int r = 0; r < rounds && wireNeeded; r++) {
                double wire = s.wire();
                figures.add(Figure.of("wire (raw reader)", "events/s", wire, "1/s"));
                if (run.contains(BenchScenario.READER)) {
                    figures.add(Figure.of("reader only", "events/s", s.readerOnly(), "1/s").against("wire", wire));
                }
                if (run.contains(BenchScenario.PIPELINE)) {
                    pipe(figures, s, "no plugin, journal off", Scenarios.Handlers.NONE, null, wire);
                    pipe(figures, s, "no-op processor, journal off", Scenarios.Handlers.NOOP, null, wire);
                    pipe(figures, s, "no-op processor, journal on", Scenarios.Handlers.NOOP, JournalSync.NEVER, wire);
                    pipe(figures, s, "no-op processor, journalSync interval", Scenarios.Handlers.NOOP,
                            JournalSync.INTERVAL, wire);
                    pipe(figures, s, "no-op processor, journalSync always", Scenarios.Handlers.NOOP,
                            JournalSync.ALWAYS, wire);
                    pipe(figures, s, "every-event plugin, journal on", Scenarios.Handlers.EVERY_EVENT,
                            JournalSync.NEVER, wire);
                }
                if (run.contains(BenchScenario.LIFECYCLE)) {
                    pipe(figures, s, "lifecycle plugin jar, journal off", Scenarios.Handlers.LIFECYCLE, null, wire);
                    pipe(figures, s, "lifecycle plugin jar, journal on", Scenarios.Handlers.LIFECYCLE,
                            JournalSync.NEVER, wire);
                }
                if (run.contains(BenchScenario.MONITOR_FLOOD)) {
                    for (int n : quick ? new int[] {10, 50} : new int[] {100, 1000}) {
                        Scenarios.PipeRun p = s.spreadFlood(n);
                        String name = "flood over " + n + " monitors, no-op";
                        figures.add(Figure.of(name, "events/s", p.endedPerSecond(), "1/s").against("wire", wire));
                        figures.add(Figure.of(name, "processed/s", p.processedPerSecond(), "1/s").against("wire", wire));
                        figures.add(Figure.of(name, "overflowed", p.overflow(), "events"));
                    }
                }
                out.printf("round %d of %d done%n", r + 1, rounds);
                out.flush();
            }
            if (run.contains(BenchScenario.STEADY)) {
                // The daemon's default queueLimit, then the old default beside it: a queue must hold what arrives
                // while the worker is held up (a collection, the machine's other work).
                String name = quick ? "steady 20k/s for 1 s" : "steady 200k/s for 5 s";
                int[] limits = WorkOptions.DEFAULT_QUEUE_LIMIT == 1024 ? new int[] {1024}
                        : new int[] {WorkOptions.DEFAULT_QUEUE_LIMIT, 1024};
                for (int limit : limits) {
                    long steady = s.steadyOverflow(quick ? 20_000 : 200_000, Duration.ofSeconds(quick ? 1 : 5), limit);
                    figures.add(Figure.of(name + ", journal on, queueLimit " + limit, "overflowed", steady, "events"));
                }
            }
            if (run.contains(BenchScenario.ISOLATION)) {
                isolation(figures, s);
            }
            if (run.contains(BenchScenario.IDLE_MONITORS)) {
                for (int n : quick ? new int[] {1, 10, 50} : new int[] {1, 100, 1000}) {
                    Scenarios.Idle idle = s.idleMonitors(n);
                    figures.add(Figure.of(n + " idle monitor(s)", "heap per monitor", idle.heapKibPerMonitor(), "KiB"));
                    figures.add(Figure.of(n + " idle monitor(s)", "daemon threads added", idle.threads(), "threads"));
                }
            }
            if (run.contains(BenchScenario.RELOAD)) {
                reload(figures, dir);
            }
            if (run.contains(BenchScenario.DAEMON_MEMORY)) {
                daemonMemory(figures, dir);
            }
        } finally {
            logLevel.close();
            deleteTree(dir);
        }
        print(out, figures);
        if (json != null) {
            Files.write(json, figures.stream().map(Figure::json).toList());
        }
        return 0;
    }

    /**
     * The bench's own log level until closed: {@code --log-level} when given (inherited from {@code qeventd}), else
     * warn, as for every command but run: what plugins log at info for each event is not part of the figures.
     */
    private AutoCloseable logLevel() {
        OptionSpec option = spec.findOption("--log-level");
        Object given = option == null ? null : option.getValue();
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return () -> { };
        }
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Level old = root.getLevel();
        root.setLevel(Level.toLevel(given == null ? "WARN" : given.toString()));
        return () -> root.setLevel(old);
    }

    private Set<BenchScenario> selected() {
        if (scenarios.isEmpty()) {
            return EnumSet.allOf(BenchScenario.class);
        }
        Set<BenchScenario> run = EnumSet.noneOf(BenchScenario.class);
        for (String name : scenarios) {
            run.add(BenchScenario.byId(name).orElseThrow(() -> new ParameterException(spec.commandLine(),
                    "--scenario: no scenario '" + name + "'; one of: "
                            + String.join(", ", new BenchScenario.Names()))));
        }
        return run;
    }

    private void isolation(List<Figure> figures, Scenarios s) throws Exception {
        int perDomain = quick ? 200 : 1000;
        Scenarios.Isolation iso = s.isolation(false, perDomain);
        Scenarios.Isolation fifo = s.isolation(true, perDomain);
        figures.add(Figure.of("isolation, per-domain lanes", "p50 latency", iso.p50Millis(), "ms"));
        figures.add(Figure.of("isolation, per-domain lanes", "p99 latency", iso.p99Millis(), "ms")
                .against("global-fifo p99", fifo.p99Millis()));
        figures.add(Figure.of("isolation, per-domain lanes", "max latency", iso.maxMillis(), "ms"));
        figures.add(Figure.of("isolation, global-fifo", "p99 latency", fifo.p99Millis(), "ms"));
    }

    private void reload(List<Figure> figures, Path dir) throws Exception {
        long rate = quick ? 1_000 : 2_000;
        HotReload.Result r = new HotReload(dir, Duration.ofMinutes(5)).run(rate);
        String name = String.format(Locale.ROOT, "hot reload under %,d events/s", rate);
        figures.add(Figure.of(name, "jar landed to new version", r.reloadMillis(), "ms"));
        figures.add(Figure.of(name, "reload transaction", r.swapMillis(), "ms"));
        figures.add(Figure.of(name, "events held", r.held(), "events"));
        figures.add(Figure.of(name, "queued at the swap (daemon log)", r.queuedAtSwap(), "events"));
        figures.add(Figure.of(name, "exactly one outcome", r.exactlyOnce(), "events").against("sent", r.sent()));
        figures.add(Figure.of(name, "no outcome (lost)", r.missing(), "events"));
        figures.add(Figure.of(name, "more than one outcome", r.repeated(), "events"));
        figures.add(Figure.of(name, "overflowed", r.overflowed(), "events"));
    }

    private void daemonMemory(List<Figure> figures, Path dir) throws Exception {
        DaemonMemory m = new DaemonMemory(dir, Duration.ofMinutes(5));
        for (boolean journal : new boolean[] {false, true}) {
            DaemonMemory.Flood f = m.flood(journal ? "journal" : "defaults", events, journal);
            String name = journal ? "daemon process, flood, journal on" : "daemon process, flood, defaults";
            figures.add(Figure.of(name, "peak RSS", f.peakKib() / 1024.0, "MiB").against("idle RSS", f.idleKib() / 1024.0));
            figures.add(Figure.of(name, "events read/s", f.readPerSecond(), "1/s"));
            figures.add(Figure.of(name, "overflowed", f.overflowed(), "events"));
        }
        for (DaemonMemory.Idle i : m.idle(quick ? new int[] {10, 50} : new int[] {100, 1000})) {
            String name = "daemon process, " + i.monitors() + " idle monitors"
                    + (i.collected() ? "" : " (no jcmd: RSS with garbage)");
            figures.add(Figure.of(name, "RSS per monitor", i.kibPerMonitor(), "KiB"));
            figures.add(Figure.of(name, "RSS", i.kib() / 1024.0, "MiB").against("RSS with one", i.baseKib() / 1024.0));
        }
    }

    private void pipe(List<Figure> figures, Scenarios s, String name, Scenarios.Handlers h, JournalSync journal,
                      double wire) throws Exception {
        Scenarios.PipeRun run = s.pipeline(h, journal, WorkOptions.DEFAULT_QUEUE_LIMIT);
        String metric = h == Scenarios.Handlers.NONE ? "events/s" : "processed/s";
        double value = h == Scenarios.Handlers.NONE ? run.endedPerSecond() : run.processedPerSecond();
        figures.add(Figure.of(name, metric, value, "1/s").against("wire", wire));
        if (h != Scenarios.Handlers.NONE) {
            figures.add(Figure.of(name, "overflowed", run.overflow(), "events"));
        }
        figures.add(Figure.of(name, "peak RSS", run.peakRssKib() / 1024.0, "MiB"));
    }

    /** One line per scenario and metric: min / median / max over the rounds, and the ratio of the median. */
    static void print(PrintWriter out, List<Figure> figures) {
        out.println();
        out.printf("%-42s %-32s %14s %14s %14s  %s%n", "SCENARIO", "METRIC", "MIN", "MEDIAN", "MAX", "MEDIAN VS BASELINE");
        List<String> keys = figures.stream().map(f -> f.scenario() + "\u0000" + f.metric()).distinct().toList();
        for (String k : keys) {
            List<Figure> same = figures.stream().filter(f -> (f.scenario() + "\u0000" + f.metric()).equals(k))
                    .sorted(Comparator.comparingDouble(Figure::value)).toList();
            Figure median = same.get(same.size() / 2);
            List<Figure> refs = same.stream().filter(f -> f.baseline() != null)
                    .sorted(Comparator.comparingDouble(Figure::reference)).toList();
            String ratio = refs.isEmpty() ? "" : String.format(Locale.ROOT, "%.1f %% of %s", 100 * median.value()
                    / refs.get(refs.size() / 2).reference(), median.baseline());
            out.printf(Locale.ROOT, "%-42s %-32s %14s %14s %14s  %s%n", median.scenario(), median.metric(),
                    fmt(same.get(0)), fmt(median), fmt(same.get(same.size() - 1)), ratio);
        }
        out.flush();
    }

    private static String fmt(Figure f) {
        return f.unit().equals("1/s") ? String.format(Locale.ROOT, "%,.0f", f.value())
                : String.format(Locale.ROOT, "%,.2f %s", f.value(), f.unit());
    }

    private static void deleteTree(Path dir) {
        try (var s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
            // a temporary directory; the system cleans it eventually
        }
    }
}
