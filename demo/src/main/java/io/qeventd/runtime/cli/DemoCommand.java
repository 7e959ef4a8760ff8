package io.qeventd.runtime.cli;

import io.qeventd.runtime.config.LogConfig;
import io.qeventd.runtime.config.PluginsConfig;
import io.qeventd.runtime.demo.DemoOptions;
import io.qeventd.runtime.demo.DemoRun;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code qeventd demo}: the daemon and its plugins against simulated (or real) QEMU, start to end in seconds. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Show the daemon at work on three simulated QEMU VMs (real ones with --qemu).",
            "Runs the daemon with its plugins while the VMs play a realistic story (lifecycle, NIC filter changes,"
                + " device removal, a disk mirror, a migration), shows what the daemon does as it happens, and sums it"
                + " up. Needs nothing but Java. Host network changes are only printed.",
            "Exit 0 when every event was accounted for, 1 otherwise, 2 on a usage error."})
final class DemoCommand implements Callable<Integer> {
    private static final String MONITOR_LOGGERS = "io.qeventd.runtime.monitor";

    @Spec
    CommandSpec spec;

    @ParentCommand
    Main parent;

    @Option(names = "--qemu", description = "Start real QEMU instances (qemu-system-x86_64, qemu-img on PATH) instead"
            + " of simulated ones.")
    boolean qemu;

    @Option(names = "--plugins", paramLabel = "DIR",
            description = "Another plugins directory, loaded on top of the distribution's plugins/; repeatable.")
    List<Path> plugins = new ArrayList<>();

    @Option(names = "--dev", paramLabel = "DIR", arity = "1..*",
            description = "Plugin projects loaded from their build output on top of the plugins, reloaded after each"
                    + " build (as `run --dev`).")
    List<Path> dev = new ArrayList<>();

    @Option(names = "--pace", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "300ms",
            description = "Pause between two steps of a VM's story (default: ${DEFAULT-VALUE}).")
    Duration pace;

    @Option(names = "--view", paramLabel = "VIEW", defaultValue = "auto",
            description = "live (a status redrawn in place), plain (progress lines) or auto: live on a terminal"
                    + " (default: ${DEFAULT-VALUE}).")
    DemoOptions.View view;

    @Option(names = "--journal", paramLabel = "FILE", description = "Keep the journal in FILE.")
    Path journal;

    @Override
    public Integer call() {
        if (pace.isNegative()) {
            throw new ParameterException(spec.commandLine(), "--pace must not be negative: " + pace);
        }
        parent.applyLogging(null, LogConfig.Level.WARN);
        Path dir = PluginsConfig.defaultDir(Path.of("plugins").toAbsolutePath());
        DemoOptions options = new DemoOptions(dir, absolute(plugins), absolute(dev), pace, qemu, view,
                Optional.ofNullable(journal).map(j -> j.toAbsolutePath().normalize()));
        // The demo quits QEMUs on purpose; their monitors would report each closed connection as a warning.
        AutoCloseable quietMonitors = parent.logLevel == null
                ? Logging.setLevel(MONITOR_LOGGERS, LogConfig.Level.ERROR) : () -> { };
        try {
            return new DemoRun(options, spec.commandLine().getOut(), spec.commandLine().getErr(),
                    System.console() != null).run();
        } finally {
            Logging.restore(quietMonitors);
        }
    }

    private static List<Path> absolute(List<Path> paths) {
        return paths.stream().map(p -> p.toAbsolutePath().normalize()).toList();
    }
}
