package io.qeventd.runtime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qeventd.runtime.admin.AdminClient;
import io.qeventd.runtime.admin.AdminException;
import io.qeventd.runtime.admin.AdminProtocol;
import io.qeventd.runtime.config.ConfigException;
import io.qeventd.runtime.config.LogConfig;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code qeventd plugin-command}: runs a plugin's operator command for a domain on the running daemon. */
@Command(name = "plugin-command", mixinStandardHelpOptions = true,
        description = {"Tell a plugin of the running daemon something only an operator knows, for one domain.",
            "e.g. qeventd plugin-command block-errors space-added --domain vm1",
            "The plugin takes the word, then runs on the domain in its order; its outcome and actions are printed.",
            "Exit 0 when the plugin processed it, 1 when it failed or no daemon answers, 2 on a usage error."})
final class PluginCommandCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    Main parent;

    @Parameters(index = "0", paramLabel = "PLUGIN", description = "The plugin's id, e.g. block-errors.")
    String plugin;

    @Parameters(index = "1", paramLabel = "COMMAND", description = "The plugin's command, e.g. space-added.")
    String command;

    @Parameters(index = "2..*", paramLabel = "KEY=VALUE", description = "The command's arguments.")
    List<String> arguments = List.of();

    @Option(names = "--domain", required = true, paramLabel = "NAME", description = "The domain it is about.")
    String domain;

    @ArgGroup(exclusive = true)
    StatusCommand.Target target;

    @Option(names = "--json", description = "Print the daemon's answer as JSON.")
    boolean json;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "40s",
            description = "How long to wait for the outcome (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    public Integer call() {
        parent.applyLogging(null, LogConfig.Level.WARN);
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        ObjectNode request = new ObjectMapper().createObjectNode().put("plugin", plugin).put("command", command)
                .put("domain", domain);
        ObjectNode args = request.putObject("arguments");
        for (String pair : arguments) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                err.println("qeventd plugin-command: argument '" + pair + "' is not KEY=VALUE");
                err.flush();
                return Main.USAGE;
            }
            args.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        JsonNode answer;
        try {
            answer = AdminClient.request(StatusCommand.socket(target), AdminProtocol.PLUGIN_COMMAND, request, timeout);
        } catch (ConfigException e) {
            err.println("qeventd plugin-command: invalid configuration:");
            err.println(e.getMessage());
            err.flush();
            return Main.USAGE;
        } catch (AdminException e) {
            err.println("qeventd plugin-command: " + e.getMessage());
            err.flush();
            return Main.FAILURE;
        }
        if (json) {
            out.println(answer.toPrettyString());
        } else {
            out.println(plugin + " " + command + " on " + domain + ": " + answer.path("outcome").asText()
                    + (answer.path("error").isTextual() ? ": " + answer.path("error").asText() : ""));
            answer.path("actions").forEach(a -> out.println("  " + a.asText()));
        }
        out.flush();
        return "processed".equals(answer.path("outcome").asText()) ? Main.OK : Main.FAILURE;
    }
}
