package io.qeventd.runtime.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code qeventd} command line. Exit codes: 0 ok, 1 runtime failure, 2 usage or configuration error. */
@Command(name = "qeventd",
        description = "Watches QEMU virtual machines through QMP and runs plugin handlers for their events.",
        mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        subcommands = {RunCommand.class, PluginsCommand.class, QmpCommand.class, VersionCommand.class, CommandLine.HelpCommand.class})
public final class Main {
    public static final int OK = 0;
    public static final int FAILURE = 1;
    public static final int USAGE = 2;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line without exiting, for tests and embedding. */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExitCodeExceptionMapper(e -> e instanceof CommandLine.ParameterException ? USAGE : FAILURE);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        return cl;
    }
}
