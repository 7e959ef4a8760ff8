package io.qeventd.runtime.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qeventd.api.QmpErrorException;
import io.qeventd.api.MonitorClosedException;
import io.qeventd.runtime.config.LogConfig;
import io.qeventd.runtime.monitor.MonitorConnection;
import io.qeventd.runtime.monitor.MonitorListener;
import io.qeventd.runtime.monitor.MonitorOptions;
import io.qeventd.runtime.monitor.MonitorReactor;
import io.qeventd.runtime.qmp.QmpMessage;
import java.io.PrintWriter;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code qeventd qmp}: one command on a QMP socket, its {@code return} value printed as JSON. */
@Command(name = "qmp", mixinStandardHelpOptions = true,
        description = {"Connect to a QMP socket, negotiate, run one command and print its return value as JSON.",
            "Exit 0 on success, 1 when QEMU answers with an error (class and description on stderr) or does not",
            "answer in time, 2 on a usage or connection error."})
final class QmpCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    Main parent;

    @Option(names = "--socket", required = true, paramLabel = "PATH", description = "QMP unix socket of the QEMU instance.")
    Path socket;

    @Parameters(index = "0", paramLabel = "COMMAND", description = "QMP command, e.g. query-status.")
    String command;

    @Parameters(index = "1", arity = "0..1", paramLabel = "ARGUMENTS-JSON",
            description = "Arguments as a JSON object, e.g. '{\"name\": \"net0\"}'.")
    String arguments;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "30s",
            description = "How long to wait for the reply (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--connect-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "5s", description = "How long to wait for QEMU's greeting (default: ${DEFAULT-VALUE}).")
    Duration connectTimeout;

    @Option(names = "--pretty", description = "Indent the JSON output.")
    boolean pretty;

    @Override
    public Integer call() {
        parent.applyLogging(null, LogConfig.Level.WARN);
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        ObjectMapper mapper = new ObjectMapper();
        JsonNode args = null;
        if (arguments != null) {
            try {
                args = mapper.readTree(arguments);
            } catch (JsonProcessingException e) {
                err.println("qeventd qmp: ARGUMENTS-JSON is not valid JSON: " + e.getOriginalMessage());
                return Main.USAGE;
            }
            if (!args.isObject()) {
                err.println("qeventd qmp: ARGUMENTS-JSON must be a JSON object, got " + args.getNodeType().name().toLowerCase());
                return Main.USAGE;
            }
        }
        MonitorOptions options = MonitorOptions.defaults().withReconnect(false).withConnectTimeout(connectTimeout)
                .withCommandTimeout(timeout);
        try (MonitorReactor reactor = new MonitorReactor(1, mapper)) {
            MonitorConnection conn = reactor.open("qmp", UnixDomainSocketAddress.of(socket), options, new MonitorListener() {
                @Override
                public void event(MonitorConnection m, QmpMessage.Event e, long nanos, Instant at) {
                    // A one-shot client has no use for events.
                }
            });
            try {
                conn.firstConnect().get(connectTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                err.println("qeventd qmp: " + e.getCause().getMessage());
                return Main.USAGE;
            } catch (java.util.concurrent.TimeoutException e) {
                err.println("qeventd qmp: no QMP greeting from " + socket + " within " + connectTimeout.toMillis() + " ms");
                return Main.USAGE;
            }
            try {
                QmpMessage.Return reply = conn.send(command, args, timeout).get();
                JsonNode value = mapper.readTree(reply.value());
                out.println(pretty ? mapper.writerWithDefaultPrettyPrinter().writeValueAsString(value) : value.toString());
                out.flush();
                return Main.OK;
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                if (c instanceof QmpErrorException q) {
                    err.println(q.errorClass() + ": " + q.description());
                } else {
                    err.println("qeventd qmp: " + c.getMessage());
                }
                // QEMU's refusal or silence is a runtime failure; losing the connection is a connection error.
                return c instanceof MonitorClosedException ? Main.USAGE : Main.FAILURE;
            } finally {
                conn.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Main.FAILURE;
        } catch (Exception e) {
            err.println("qeventd qmp: " + e.getMessage());
            return Main.FAILURE;
        }
    }
}
