package io.qeventd.runtime.cli;

import io.qeventd.runtime.config.LogConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The {@code qeventd} command line. Exit codes: 0 ok, 1 runtime failure, 2 usage or configuration error. */
@Command(name = "qeventd",
        description = "Watches QEMU virtual machines through QMP and runs plugin handlers for their events.",
        mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        subcommands = {RunCommand.class, StatusCommand.class, EventsCommand.class, PluginsCommand.class,
            QmpCommand.class, PluginCommandCommand.class, RecordCommand.class, ReplayCommand.class, SdkCommand.class,
            VersionCommand.class, CommandLine.HelpCommand.class})
public final class Main {
    public static final int OK = 0;
    public static final int FAILURE = 1;
    public static final int USAGE = 2;

    private static final String DEMO_COMMAND = "io.qeventd.runtime.cli.DemoCommand";
    private static final String BENCH_COMMAND = "io.qeventd.bench.BenchCommand";

    @Option(names = "--log-level", scope = ScopeType.INHERIT, paramLabel = "LEVEL",
            description = "trace, debug, info, warn or error; overrides log.level (default: info for run, warn for"
                    + " the other commands).")
    LogConfig.Level logLevel;

    @Option(names = "--log-format", scope = ScopeType.INHERIT, paramLabel = "FORMAT",
            description = "text (readable lines) or json (one object per line); overrides log.format. Logs go to"
                    + " stderr.")
    LogConfig.Format logFormat;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line without exiting, for tests and embedding. */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        addIfPresent(cl, DEMO_COMMAND);
        addIfPresent(cl, BENCH_COMMAND);
        cl.setExitCodeExceptionMapper(e -> e instanceof CommandLine.ParameterException ? USAGE : FAILURE);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        return cl;
    }

    /**
     * Adds a command that lives in a jar of its own (the demo, with the simulated QEMU it needs), when that jar is on
     * the class path: the distribution has it, the daemon's own jar does not depend on it.
     */
    private static void addIfPresent(CommandLine cl, String className) {
        Class<?> command;
        try {
            command = Class.forName(className, false, Main.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return;
        }
        cl.addSubcommand(command);
    }

    /**
     * Applies {@code --log-level} and {@code --log-format}, falling back to {@code fromConfig} and then to
     * {@code quietLevel}: the level for commands whose own output matters more than the log.
     */
    void applyLogging(LogConfig fromConfig, LogConfig.Level quietLevel) {
        LogConfig.Level level = logLevel != null ? logLevel
                : fromConfig != null ? fromConfig.level() : quietLevel;
        LogConfig.Format format = logFormat != null ? logFormat
                : fromConfig != null ? fromConfig.format() : LogConfig.Format.TEXT;
        Logging.configure(level, format);
    }
}
