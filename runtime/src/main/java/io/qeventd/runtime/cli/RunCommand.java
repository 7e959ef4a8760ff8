package io.qeventd.runtime.cli;

import com.google.inject.Guice;
import com.google.inject.Stage;
import io.qeventd.api.HostNetwork;
import io.qeventd.runtime.admin.AdminSocketException;
import io.qeventd.runtime.config.ConfigException;
import io.qeventd.runtime.config.ConfigLoader;
import io.qeventd.runtime.config.DomainConfig;
import io.qeventd.runtime.config.LogConfig;
import io.qeventd.runtime.config.QeventdConfig;
import io.qeventd.runtime.daemon.Daemon;
import io.qeventd.runtime.daemon.DaemonStartException;
import io.qeventd.runtime.daemon.RuntimeModule;
import io.qeventd.runtime.host.DryRunHostNetwork;
import io.qeventd.runtime.host.IpRoute2HostNetwork;
import io.qeventd.runtime.plugin.PluginStatus;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.pf4j.RuntimeMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code qeventd run}: the daemon, until SIGTERM or SIGINT. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run the daemon until SIGTERM or SIGINT.",
            "Attaches to the domains' QMP monitors and runs the plugins' handlers for their events; on SIGTERM or"
                + " SIGINT drains the queues, flushes the journal and exits 0. Serves its status on admin.socket.",
            "Exit 1 when it cannot start (another daemon on its admin socket), 2 on an invalid configuration or"
                + " command line."})
final class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    Main parent;

    @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration (see docs/configuration.md).")
    Path config;

    @Option(names = "--qmp", paramLabel = "NAME=SOCKET", description = "Attach a domain without a configuration file; repeatable.")
    List<String> qmp = new ArrayList<>();

    @Option(names = "--journal", paramLabel = "FILE", description = "Write every outcome as a JSON line to FILE.")
    Path journal;

    @Option(names = "--plugins", paramLabel = "DIR",
            description = "Another plugins directory, loaded and watched on top of plugins.dir (the built-ins);"
                    + " repeatable.")
    List<Path> plugins = new ArrayList<>();

    @Option(names = "--dev", paramLabel = "DIR", arity = "1..*",
            description = "Development mode: load plugin projects from their build output (target/classes), on top"
                    + " of the plugins directories, as soon as they are built, and reload each after `mvn compile`"
                    + " or `mvn package` changes it.")
    List<Path> dev = new ArrayList<>();

    @Option(names = "--allow-writable-plugins",
            description = "Accept a plugins directory or jar that other users can write (development only).")
    boolean allowWritablePlugins;

    @Option(names = "--dry-run", description = "Change nothing on the host: print the network changes handlers would make.")
    boolean dryRun;

    /** How long an exit nobody asked for waits for queued events before the journal is flushed. */
    private static final Duration UNEXPECTED_EXIT_DRAIN = Duration.ofSeconds(2);

    @Option(names = "--stop-timeout", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "30s",
            description = "How long a graceful stop waits for queued events (default: ${DEFAULT-VALUE}).")
    Duration stopTimeout;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        QeventdConfig cfg;
        try {
            cfg = configuration();
        } catch (ConfigException e) {
            err.println("qeventd run: invalid configuration:");
            err.println(e.getMessage());
            err.flush();
            return Main.USAGE;
        }
        parent.applyLogging(cfg.log(), LogConfig.Level.INFO);
        HostNetwork host = dryRun
                ? new DryRunHostNetwork(new IpRoute2HostNetwork(), line -> System.out.println(line))
                : new IpRoute2HostNetwork();
        RuntimeMode mode = dev.isEmpty() ? RuntimeMode.DEPLOYMENT : RuntimeMode.DEVELOPMENT;
        Daemon daemon = Guice.createInjector(Stage.PRODUCTION, new RuntimeModule(cfg, host, mode))
                .getInstance(Daemon.class);
        daemon.addedPluginDirectories(plugins.stream().map(p -> p.toAbsolutePath().normalize()).toList());
        daemon.developmentProjects(dev.stream().map(p -> p.toAbsolutePath().normalize()).toList());
        CountDownLatch stopped = new CountDownLatch(1);
        Runnable stop = () -> {
            daemon.stop(stopTimeout);
            stopped.countDown();
        };
        Runnable restoreTermination = Signals.onTermination(stop);
        Runnable restoreHangup = Signals.onHangup(daemon::reopenFiles);
        Runnable restoreSignals = () -> {
            restoreTermination.run();
            restoreHangup.run();
        };
        List<PluginStatus> loaded;
        try {
            loaded = daemon.start();
        } catch (AdminSocketException e) {
            restoreSignals.run();
            err.println("qeventd run: " + e.getMessage());
            err.flush();
            daemon.stop(Duration.ZERO);
            return Main.FAILURE;
        } catch (DaemonStartException e) {
            restoreSignals.run();
            err.println("qeventd run: " + e.getMessage());
            err.flush();
            daemon.stop(Duration.ZERO);
            return Main.USAGE;
        }
        for (PluginStatus p : loaded) {
            if (p.error() != null) {
                err.println("qeventd run: plugin not loaded: " + p.error());
            }
        }
        err.flush();
        // An exit nobody asked for (a plugin reaching System.exit by reflection, a fatal error elsewhere) still
        // stops the daemon on the way out: the journal is flushed and the admin socket removed. After a graceful
        // stop this does nothing.
        // Its last log line must not meet appenders that logback's own hook, running beside it, already stopped.
        Logging.LastToLog logging = Logging.lastToLog();
        Thread lastWords = new Thread(() -> {
            try {
                daemon.stop(UNEXPECTED_EXIT_DRAIN);
            } finally {
                logging.stopLogging();
            }
        }, "qeventd-exit");
        Runtime.getRuntime().addShutdownHook(lastWords);
        stopped.await();
        try {
            Runtime.getRuntime().removeShutdownHook(lastWords);
            logging.giveBack();
        } catch (IllegalStateException exiting) {
            // the JVM is already exiting: the hook finds the daemon stopped, and stops logging
        }
        return Main.OK;
    }

    private QeventdConfig configuration() throws ConfigException {
        QeventdConfig cfg = config != null ? ConfigLoader.load(config) : QeventdConfig.defaults();
        if (allowWritablePlugins) {
            cfg = cfg.withPluginsAllowWritable(true);
        }
        if (journal != null) {
            cfg = cfg.withJournal(journal);
        }
        List<DomainConfig> added = new ArrayList<>();
        for (String flag : qmp) {
            added.add(DomainConfig.parseQmpFlag(flag));
        }
        return added.isEmpty() ? cfg : cfg.withDomainsAdded(added);
    }
}
