package io.qeventd.runtime.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.qeventd.api.OperatorCommand;
import io.qeventd.api.ResyncReason;
import io.qeventd.runtime.dispatch.HandlerRegistry;
import io.qeventd.runtime.dispatch.TableEntry;
import io.qeventd.runtime.domain.DomainHandle;
import io.qeventd.runtime.domain.DomainRegistry;
import io.qeventd.runtime.journal.Journal;
import io.qeventd.runtime.journal.JournalRecord;
import io.qeventd.runtime.journal.JournalSink;
import io.qeventd.runtime.journal.Outcome;
import io.qeventd.runtime.work.WorkQueue;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The admin command {@code plugin-command}: runs a plugin's {@link OperatorCommand} for a domain. The
 * command takes the operator's word on the admin thread; then the handler's resync hook runs on the domain's
 * lane (reason {@link ResyncReason#OPERATOR}), and the answer is that run's journal record: outcome, error,
 * actions. Arguments: {@code {"plugin", "command", "domain", "arguments": {KEY: VALUE}}}.
 */
public final class PluginCommands implements AdminCommand {
    static final String EVENT = "resync/" + ResyncReason.OPERATOR.name();

    private final HandlerRegistry handlers;
    private final DomainRegistry domains;
    private final WorkQueue queue;
    private final Journal journal;
    private final Duration timeout;

    /**
     * What one run did.
     *
     * @param outcome the journal outcome of the resync run (processed, failed, skipped)
     * @param error   why it failed, or null
     * @param actions what the handler reported doing
     */
    public record Result(String plugin, String command, String domain, String outcome, String error,
                         List<String> actions) {
    }

    public PluginCommands(HandlerRegistry handlers, DomainRegistry domains, WorkQueue queue, Journal journal,
                          Duration timeout) {
        this.handlers = handlers;
        this.domains = domains;
        this.queue = queue;
        this.journal = journal;
        this.timeout = timeout;
    }

    @Override
    public Result run(JsonNode arguments) throws Exception {
        String plugin = text(arguments, "plugin");
        String command = text(arguments, "command");
        String domainName = text(arguments, "domain");
        TableEntry entry = find(plugin, command);
        DomainHandle domain = domains.get(domainName).filter(DomainHandle::isActive).orElseThrow(
                () -> new IllegalArgumentException("domain '" + domainName + "' is not attached or not connected"));
        entry.handler().commands().get(command).accept(domainName, stringMap(arguments.get("arguments")));

        CompletableFuture<JournalRecord> done = new CompletableFuture<>();
        JournalSink sink = r -> {
            if (r.domain().equals(domainName) && plugin.equals(r.plugin()) && r.event().equals(EVENT)
                    && r.outcome() != Outcome.SLOW) {
                done.complete(r);
            }
        };
        journal.addSink(sink);
        try {
            queue.resync(domain, List.of(entry), ResyncReason.OPERATOR);
            JournalRecord r = done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return new Result(plugin, command, domainName, r.outcome().name().toLowerCase(Locale.ROOT),
                    r.error(), r.actions());
        } catch (TimeoutException e) {
            throw new TimeoutException(plugin + " " + command + " on domain '" + domainName + "': no outcome within "
                    + timeout.toMillis() + " ms (queued behind other work or still running; see the journal)");
        } finally {
            journal.removeSink(sink);
        }
    }

    private TableEntry find(String plugin, String command) {
        TreeSet<String> known = new TreeSet<>();
        for (TableEntry e : handlers.table().entries()) {
            if (e.handler().commands().containsKey(command) && e.pluginId().equals(plugin)) {
                return e;
            }
            e.handler().commands().keySet().forEach(c -> known.add(e.pluginId() + " " + c));
        }
        throw new IllegalArgumentException("no plugin offers '" + plugin + " " + command + "'; offered: "
                + (known.isEmpty() ? "none" : String.join(", ", known)));
    }

    private static String text(JsonNode arguments, String field) {
        JsonNode value = arguments == null ? null : arguments.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new IllegalArgumentException("missing string argument \"" + field + "\"");
        }
        return value.asText();
    }

    private static Map<String, String> stringMap(JsonNode node) {
        Map<String, String> out = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException("\"arguments\" must be an object of strings, not " + node.getNodeType());
        }
        node.fields().forEachRemaining(f -> out.put(f.getKey(), f.getValue().asText()));
        return out;
    }
}
