package io.qeventd.runtime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qeventd.runtime.admin.AdminClient;
import io.qeventd.runtime.admin.AdminException;
import io.qeventd.runtime.admin.AdminProtocol;
import io.qeventd.runtime.admin.AdminStreamReader;
import io.qeventd.runtime.config.ConfigException;
import io.qeventd.runtime.config.LogConfig;
import io.qeventd.runtime.stream.EventFilter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code qeventd events}: the running daemon's events and their outcomes, recent or live. */
@Command(name = "events", mixinStandardHelpOptions = true,
        description = {"Show the events the running daemon handles and their outcomes, one line per journal record:"
                + " the recent ones (the last events.recent records), or with --follow every one from now on until"
                + " Ctrl-C. Filters apply in the daemon; each may be repeated (any of the values).",
            "Exit 0 when done, 1 when no daemon answers or it closed the stream, 2 on a usage or configuration"
                + " error, 3 when the daemon cut this client off because it fell events.clientBuffer records behind"
                + " (the last line says how many records it missed)."})
final class EventsCommand implements Callable<Integer> {
    /** Exit code of a follower that fell too far behind and was cut off. */
    static final int CUT_OFF = 3;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @ParentCommand
    Main parent;

    @ArgGroup(exclusive = true)
    StatusCommand.Target target;

    @Option(names = {"-f", "--follow"}, description = "Stream every record from now on, until Ctrl-C or SIGTERM.")
    boolean follow;

    @Option(names = "--domain", paramLabel = "NAME", description = "Only this domain's records (repeatable).")
    List<String> domains = new ArrayList<>();

    @Option(names = "--event", paramLabel = "NAME",
            description = "Only records of this event, e.g. STOP or resync/OPERATOR (repeatable).")
    List<String> events = new ArrayList<>();

    @Option(names = "--outcome", paramLabel = "OUTCOME",
            description = "Only records of this outcome: processed, skipped, coalesced, failed, overflow, slow,"
                    + " unhandled or lost (repeatable).")
    List<String> outcomes = new ArrayList<>();

    @Option(names = "--json", description = "Print each record as the journal file spells it, one JSON object a line.")
    boolean json;

    @Option(names = "--data", description = "Include the event's data as QEMU sent it.")
    boolean data;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "5s",
            description = "How long to wait for the daemon to answer (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    public Integer call() {
        parent.applyLogging(null, LogConfig.Level.WARN);
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        for (String o : outcomes) {
            try {
                EventFilter.outcome(o);
            } catch (IllegalArgumentException e) {
                err.println("qeventd events: --outcome: " + e.getMessage());
                err.flush();
                return Main.USAGE;
            }
        }
        if (blank(domains) || blank(events)) {
            err.println("qeventd events: --domain and --event need a name, not an empty value");
            err.flush();
            return Main.USAGE;
        }
        Path socket;
        try {
            socket = StatusCommand.socket(target);
        } catch (ConfigException e) {
            err.println("qeventd events: invalid configuration:");
            err.println(e.getMessage());
            err.flush();
            return Main.USAGE;
        }
        AdminStreamReader stream;
        try {
            stream = AdminClient.stream(socket, AdminProtocol.EVENTS, arguments(), timeout);
        } catch (AdminException e) {
            err.println("qeventd events: " + e.getMessage());
            err.flush();
            return Main.FAILURE;
        }
        if (follow) {
            err.println("qeventd events: following the daemon on " + socket + "; stop with Ctrl-C");
            err.flush();
        }
        Runnable restore = Signals.onTermination(stream::close);
        try {
            return print(stream, out, err);
        } catch (IOException e) {
            err.println("qeventd events: reading from the daemon on " + socket + " failed: " + e.getMessage());
            return Main.FAILURE;
        } finally {
            restore.run();
            stream.close();
            out.flush();
            err.flush();
        }
    }

    private int print(AdminStreamReader stream, PrintWriter out, PrintWriter err) throws IOException {
        while (true) {
            String line = stream.next(500);
            if (line == null) {
                out.flush();
                if (out.checkError()) {
                    return Main.OK; // whoever read the output has gone (e.g. head)
                }
                if (!stream.ended()) {
                    continue;
                }
                if (stream.closedHere()) {
                    return Main.OK;
                }
                err.println("qeventd events: the daemon on " + stream.socket() + " closed the stream (did it stop?)");
                return Main.FAILURE;
            }
            if (line.startsWith("{\"record\":")) {
                String record = line.substring("{\"record\":".length(), line.length() - 1);
                out.println(json ? record : text(JSON.readTree(record), data));
                continue;
            }
            JsonNode msg = JSON.readTree(line);
            if (msg.has("cut-off")) {
                long missed = msg.get("cut-off").path("missed").asLong();
                int buffer = msg.get("cut-off").path("buffer").asInt();
                out.println(json ? msg.toString() : "cut off: this client fell more than " + buffer
                        + " records behind; " + missed + " record(s) missed");
                out.flush();
                return CUT_OFF;
            }
            if (msg.has("end")) {
                out.flush();
                return Main.OK;
            }
        }
    }

    private JsonNode arguments() {
        ObjectNode a = JSON.createObjectNode().put("follow", follow).put("data", data);
        list(a, "domain", domains);
        list(a, "event", events);
        list(a, "outcome", outcomes);
        return a;
    }

    private static void list(ObjectNode a, String name, List<String> values) {
        if (!values.isEmpty()) {
            ArrayNode array = a.putArray(name);
            values.forEach(array::add);
        }
    }

    private static boolean blank(List<String> values) {
        return values.stream().anyMatch(String::isBlank);
    }

    /**
     * One record as a readable line: time, domain, event, plugin, outcome, latency, then the error or the actions
     * (and the event's data when asked).
     */
    static String text(JsonNode r, boolean withData) {
        List<String> parts = new ArrayList<>();
        parts.add(r.path("time").asText());
        parts.add(orDash(r.get("domain")));
        parts.add(orDash(r.get("event")));
        parts.add(orDash(r.get("plugin")));
        parts.add(r.path("outcome").asText());
        JsonNode latency = r.get("latencyMicros");
        parts.add(latency == null || latency.isNull() ? "-" : micros(latency.asLong()));
        JsonNode error = r.get("error");
        if (error != null && !error.isNull()) {
            parts.add("error: " + error.asText());
        }
        JsonNode actions = r.get("actions");
        if (actions != null && !actions.isEmpty()) {
            List<String> a = new ArrayList<>();
            actions.forEach(n -> a.add(n.asText()));
            parts.add(String.join("; ", a));
        }
        if (withData) {
            JsonNode d = r.get("data");
            parts.add("data " + (d == null ? "null" : d.toString()));
        }
        return String.join("  ", parts);
    }

    private static String orDash(JsonNode n) {
        return n == null || n.isNull() ? "-" : n.asText();
    }

    private static String micros(long us) {
        if (us < 1000) {
            return us + "us";
        }
        if (us < 1_000_000) {
            return String.format(Locale.ROOT, "%.1fms", us / 1000.0);
        }
        return String.format(Locale.ROOT, "%.2fs", us / 1_000_000.0);
    }
}
