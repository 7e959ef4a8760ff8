package io.qeventd.runtime.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.qeventd.runtime.admin.AdminClient;
import io.qeventd.runtime.admin.AdminException;
import io.qeventd.runtime.admin.StatusReport;
import io.qeventd.runtime.admin.StatusTable;
import io.qeventd.runtime.config.ConfigException;
import io.qeventd.runtime.config.ConfigLoader;
import io.qeventd.runtime.config.LogConfig;
import io.qeventd.runtime.config.QeventdConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code qeventd status}: asks the running daemon, over its admin socket, how it is doing. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Ask the running daemon how it is doing.",
            "Shows its domains (connected, run state, queue depth), plugins (version, state, events handled,"
                + " reloads) and outcome counts, asked over its admin socket.",
            "Exit 0 on success, 1 when no daemon answers, 2 on a usage or configuration error."})
final class StatusCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    Main parent;

    @ArgGroup(exclusive = true)
    Target target;

    static final class Target {
        @Option(names = "--config", paramLabel = "FILE", description = "The daemon's configuration: its admin.socket is asked.")
        Path config;

        @Option(names = "--socket", paramLabel = "PATH", description = "The admin socket to ask.")
        Path socket;
    }

    @Option(names = "--json", description = "Print the status as JSON (the admin socket's answer, indented).")
    boolean json;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "5s",
            description = "How long to wait for the answer (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    public Integer call() {
        parent.applyLogging(null, LogConfig.Level.WARN);
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        Path socket;
        try {
            socket = socket(target);
        } catch (ConfigException e) {
            err.println("qeventd status: invalid configuration:");
            err.println(e.getMessage());
            err.flush();
            return Main.USAGE;
        }
        StatusReport report;
        try {
            report = AdminClient.status(socket, timeout);
        } catch (AdminException e) {
            err.println("qeventd status: " + e.getMessage());
            err.flush();
            return Main.FAILURE;
        }
        if (json) {
            try {
                out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report));
            } catch (JsonProcessingException e) {
                err.println("qeventd status: cannot write the status as JSON: " + e.getOriginalMessage());
                return Main.FAILURE;
            }
        } else {
            StatusTable.lines(report).forEach(out::println);
        }
        out.flush();
        return Main.OK;
    }

    /** The admin socket {@code target} names: given, from a configuration, or the default. */
    static Path socket(Target target) throws ConfigException {
        if (target != null && target.socket != null) {
            return target.socket.toAbsolutePath();
        }
        QeventdConfig cfg = target != null && target.config != null
                ? ConfigLoader.load(target.config) : QeventdConfig.defaults();
        return cfg.admin().socket();
    }
}
