package io.qeventd.runtime.cli;

import com.google.inject.Guice;
import com.google.inject.Stage;
import io.qeventd.api.HostNetwork;
import io.qeventd.runtime.config.AdminConfig;
import io.qeventd.runtime.config.ConfigException;
import io.qeventd.runtime.config.ConfigLoader;
import io.qeventd.runtime.config.DomainConfig;
import io.qeventd.runtime.config.MetricsConfig;
import io.qeventd.runtime.config.LogConfig;
import io.qeventd.runtime.config.PluginsConfig;
import io.qeventd.runtime.config.QeventdConfig;
import io.qeventd.runtime.daemon.Daemon;
import io.qeventd.runtime.daemon.RuntimeModule;
import io.qeventd.runtime.host.DryRunHostNetwork;
import io.qeventd.runtime.host.InMemoryHostNetwork;
import io.qeventd.runtime.journal.JournalRecord;
import io.qeventd.runtime.plugin.PluginStatus;
import io.qeventd.runtime.record.Recording;
import io.qeventd.runtime.record.RecordingFormatException;
import io.qeventd.runtime.record.ReplayServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.pf4j.RuntimeMode;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code qeventd replay}: a recorded QMP stream played into the daemon's pipeline with a plugin. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Replay a recording made by 'qeventd record' into the daemon with the plugins of --plugins, or"
                + " the plugin projects of --dev: the recorded events reach the handlers in order, paced as recorded"
                + " unless --speed or --as-fast-as-possible, and the plugins' QMP commands are answered with the"
                + " recorded replies. Prints every outcome (and journals it with --journal). Host network changes"
                + " are only printed.",
            "Exit 0 when every recorded event was played and has an outcome, 1 otherwise, 2 on a usage error."})
final class ReplayCommand implements Callable<Integer> {
    private static final Duration SETTLE = Duration.ofSeconds(60);

    @Spec
    CommandSpec spec;

    @ParentCommand
    Main parent;

    @Parameters(paramLabel = "FILE", description = "The recording.")
    Path file;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
        @Option(names = "--plugins", paramLabel = "DIR", description = "Load the plugin jars in DIR.")
        Path plugins;

        @Option(names = "--dev", paramLabel = "DIR", arity = "1..*",
                description = "Load plugin projects from their build output (target/classes).")
        List<Path> dev;
    }

    @ArgGroup(exclusive = true)
    Pacing pacing;

    static final class Pacing {
        @Option(names = "--speed", paramLabel = "N", description = "Play N times as fast as recorded.")
        Double speed;

        @Option(names = "--as-fast-as-possible", description = "Play the events without the recorded pauses.")
        boolean asFastAsPossible;
    }

    @Option(names = "--domain", paramLabel = "NAME", defaultValue = "replay",
            description = "The domain's name in the outcomes (default: ${DEFAULT-VALUE}).")
    String domain;

    @Option(names = "--config", paramLabel = "FILE", description = "Configuration whose pluginSettings the plugins get.")
    Path config;

    @Option(names = "--journal", paramLabel = "FILE", description = "Also write every outcome as a JSON line to FILE.")
    Path journal;

    @Override
    public Integer call() throws Exception {
        parent.applyLogging(null, LogConfig.Level.WARN);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Recording recording;
        QeventdConfig base;
        try {
            recording = Recording.read(file);
            base = config != null ? ConfigLoader.load(config) : QeventdConfig.defaults();
        } catch (NoSuchFileException e) {
            err.println("qeventd replay: " + file + " does not exist");
            err.flush();
            return Main.USAGE;
        } catch (RecordingFormatException e) {
            err.println("qeventd replay: " + e.getMessage());
            err.flush();
            return Main.USAGE;
        } catch (ConfigException e) {
            err.println("qeventd replay: invalid configuration:");
            err.println(e.getMessage());
            err.flush();
            return Main.USAGE;
        }
        ReplayServer.Pace pace = pacing == null ? ReplayServer.Pace.AS_RECORDED
                : pacing.asFastAsPossible ? ReplayServer.Pace.AS_FAST_AS_POSSIBLE
                : new ReplayServer.Pace(pacing.speed, false);
        Path dir = Files.createTempDirectory("qeventd-replay-");
        try (ReplayServer server = ReplayServer.start(recording, pace, dir.resolve("qmp.sock"))) {
            return replay(recording, server, configuration(base, dir, server.socket()), out, err);
        } finally {
            deleteTree(dir);
        }
    }

    private int replay(Recording recording, ReplayServer server, QeventdConfig cfg, PrintWriter out, PrintWriter err)
            throws Exception {
        HostNetwork host = new DryRunHostNetwork(new InMemoryHostNetwork(), line -> print(out, "host: " + line));
        RuntimeMode mode = source.dev == null ? RuntimeMode.DEPLOYMENT : RuntimeMode.DEVELOPMENT;
        Daemon daemon = Guice.createInjector(Stage.PRODUCTION, new RuntimeModule(cfg, host, mode))
                .getInstance(Daemon.class);
        if (source.dev != null) {
            daemon.developmentProjects(source.dev.stream().map(p -> p.toAbsolutePath().normalize()).toList());
        }
        daemon.journal().addSink(r -> print(out, line(r)));
        int events = recording.events().size();
        boolean complete = false;
        try {
            for (PluginStatus p : daemon.start()) {
                print(out, p.error() == null ? "plugin " + p.id() + " " + p.version() + " " + p.state()
                        : "plugin not loaded: " + p.error());
            }
            int played = server.played().get(recordedLength(recording, server).plus(SETTLE).toMillis(),
                    TimeUnit.MILLISECONDS);
            complete = played == events && awaitRead(daemon, events);
        } catch (TimeoutException e) {
            err.println("qeventd replay: the recording did not finish playing in time");
        } finally {
            complete &= daemon.stop(SETTLE);
        }
        long outcomes = daemon.journal().counts().values().stream().mapToLong(Long::longValue).sum();
        print(out, "replayed " + events + " events from " + file + ": " + outcomes + " outcomes "
                + daemon.journal().counts());
        return complete ? Main.OK : Main.FAILURE;
    }

    private static Duration recordedLength(Recording recording, ReplayServer server) {
        var events = recording.events();
        return events.isEmpty() ? Duration.ZERO : Duration.between(events.get(0).at(), events.get(events.size() - 1).at());
    }

    /** Waits until the daemon's monitor has read every event the server wrote. */
    private boolean awaitRead(Daemon daemon, int events) throws InterruptedException {
        long end = System.nanoTime() + SETTLE.toNanos();
        while (System.nanoTime() < end) {
            long read = daemon.domains().get(domain).map(d -> d.monitor().stats().events()).orElse(0L);
            if (read >= events) {
                return true;
            }
            Thread.sleep(10); // polling the reader's counter, with a deadline
        }
        return false;
    }

    private QeventdConfig configuration(QeventdConfig base, Path dir, Path socket) {
        Path pluginsDir = source.plugins != null ? source.plugins.toAbsolutePath().normalize() : base.plugins().dir();
        DomainConfig d = new DomainConfig(domain, socket, false, Duration.ofSeconds(1), List.of());
        return new QeventdConfig("qeventd replay", new PluginsConfig(pluginsDir, false, base.plugins().allowWritable()),
                base.workers(), base.readers(), base.queueLimit(), base.dispatch(),
                Optional.ofNullable(journal).map(j -> j.toAbsolutePath().normalize()), base.journalSync(),
                base.commandTimeout(), base.slowThreshold(), base.processTimeout(), base.reloadDrainTimeout(),
                base.connectTimeout(),
                new AdminConfig(dir.resolve("admin.sock")), base.log(), List.of(d), base.pluginSettings(),
                Optional.empty(), MetricsConfig.off(), base.events(), Optional.empty(), Optional.empty(),
                base.queueLimitTotal());
    }

    /** One outcome as a line: domain, event, plugin and type, outcome, what the processor reported or its error. */
    static String line(JournalRecord r) {
        List<String> parts = new ArrayList<>();
        parts.add(r.domain());
        parts.add(r.event());
        parts.add(r.plugin() == null ? "-" : r.plugin() + "/" + r.type());
        parts.add(r.outcome().journalName());
        if (!r.actions().isEmpty()) {
            parts.add(String.join("; ", r.actions()));
        }
        if (r.error() != null) {
            parts.add("error: " + r.error());
        }
        return String.join("  ", parts);
    }

    private static synchronized void print(PrintWriter out, String line) {
        out.println(line);
        out.flush();
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
