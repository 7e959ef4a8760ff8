package io.qeventd.bench;

import io.qeventd.runtime.journal.JournalSync;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
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

    @Option(names = "--quick", description = "Every scenario, briefly: 20,000 events, one round, fewer monitors.")
    boolean quick;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write every figure as a JSON line to FILE.")
    Path json;

    /** Runs the benchmark on its own, without the rest of the command line. */
    public static void main(String[] args) {
        System.exit(new picocli.CommandLine(new BenchCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (quick) {
            events = 20_000;
            rounds = 1;
        }
        Path dir = Files.createTempDirectory("qeventd-bench-");
        List<Figure> figures = new ArrayList<>();
        try {
            Scenarios s = new Scenarios(dir, events);
            out.printf("qeventd bench: %,d events per flood, %d round(s), %d cores%n", events, rounds,
                    Runtime.getRuntime().availableProcessors());
            out.flush();
            for (int r = 0; r < rounds; r++) {
                double wire = s.wire();
                figures.add(Figure.of("wire (raw reader)", "events/s", wire, "1/s"));
                figures.add(Figure.of("reader only", "events/s", s.readerOnly(), "1/s").against("wire", wire));
                pipe(figures, s, "no plugin, journal off", Scenarios.Handlers.NONE, null, wire);
                pipe(figures, s, "no-op processor, journal off", Scenarios.Handlers.NOOP, null, wire);
                pipe(figures, s, "no-op processor, journal on", Scenarios.Handlers.NOOP, JournalSync.NEVER, wire);
                pipe(figures, s, "no-op processor, journalSync interval", Scenarios.Handlers.NOOP,
                        JournalSync.INTERVAL, wire);
                pipe(figures, s, "no-op processor, journalSync always", Scenarios.Handlers.NOOP, JournalSync.ALWAYS,
                        wire);
                pipe(figures, s, "every-event plugin, journal on", Scenarios.Handlers.EVERY_EVENT, JournalSync.NEVER,
                        wire);
                out.printf("round %d of %d done%n", r + 1, rounds);
                out.flush();
            }
            long steady = s.steadyOverflow(quick ? 20_000 : 200_000, Duration.ofSeconds(quick ? 1 : 5));
            figures.add(Figure.of(quick ? "steady 20k/s for 1 s" : "steady 200k/s for 5 s", "overflowed", steady, "events"));
            int perDomain = quick ? 200 : 1000;
            Scenarios.Isolation iso = s.isolation(false, perDomain);
            Scenarios.Isolation fifo = s.isolation(true, perDomain);
            figures.add(Figure.of("isolation, per-domain lanes", "p50 latency", iso.p50Millis(), "ms"));
            figures.add(Figure.of("isolation, per-domain lanes", "p99 latency", iso.p99Millis(), "ms")
                    .against("global-fifo p99", fifo.p99Millis()));
            figures.add(Figure.of("isolation, per-domain lanes", "max latency", iso.maxMillis(), "ms"));
            figures.add(Figure.of("isolation, global-fifo", "p99 latency", fifo.p99Millis(), "ms"));
            for (int n : quick ? new int[] {1, 10, 50} : new int[] {1, 100, 1000}) {
                Scenarios.Idle idle = s.idleMonitors(n);
                figures.add(Figure.of(n + " idle monitor(s)", "heap per monitor", idle.heapKibPerMonitor(), "KiB"));
                figures.add(Figure.of(n + " idle monitor(s)", "daemon threads added", idle.threads(), "threads"));
            }
        } finally {
            deleteTree(dir);
        }
        print(out, figures);
        if (json != null) {
            Files.write(json, figures.stream().map(Figure::json).toList());
        }
        return 0;
    }

    private void pipe(List<Figure> figures, Scenarios s, String name, Scenarios.Handlers h, JournalSync journal,
                      double wire) throws Exception {
        Scenarios.PipeRun run = s.pipeline(h, journal, 1024);
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
        out.printf("%-42s %-22s %14s %14s %14s  %s%n", "SCENARIO", "METRIC", "MIN", "MEDIAN", "MAX", "MEDIAN VS BASELINE");
        List<String> keys = figures.stream().map(f -> f.scenario() + "\u0000" + f.metric()).distinct().toList();
        for (String k : keys) {
            List<Figure> same = figures.stream().filter(f -> (f.scenario() + "\u0000" + f.metric()).equals(k))
                    .sorted(Comparator.comparingDouble(Figure::value)).toList();
            Figure median = same.get(same.size() / 2);
            List<Figure> refs = same.stream().filter(f -> f.baseline() != null)
                    .sorted(Comparator.comparingDouble(Figure::reference)).toList();
            String ratio = refs.isEmpty() ? "" : String.format(Locale.ROOT, "%.1f %% of %s", 100 * median.value()
                    / refs.get(refs.size() / 2).reference(), median.baseline());
            out.printf(Locale.ROOT, "%-42s %-22s %14s %14s %14s  %s%n", median.scenario(), median.metric(),
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
