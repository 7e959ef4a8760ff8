package io.qeventd.runtime.demo;

import io.qeventd.runtime.admin.DomainStatus;
import io.qeventd.runtime.admin.OutcomeCounters;
import io.qeventd.runtime.admin.PluginSummary;
import io.qeventd.runtime.admin.StatusReport;
import io.qeventd.runtime.admin.TextTable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The demo's status, in the three forms it takes: the live block, a progress line, the final summary. */
final class DemoView {
    private DemoView() {
    }

    /** The block a terminal shows under the scrolling lines, redrawn a few times a second. */
    static List<String> liveBlock(StatusReport s, Duration elapsed) {
        List<String> out = new ArrayList<>();
        out.add("---- live status after " + seconds(elapsed) + " " + "-".repeat(40));
        TextTable domains = new TextTable("DOMAIN", "CONNECTED", "RUN STATE", "QUEUE>", "EVENTS>");
        for (DomainStatus d : s.domains()) {
            domains.row(d.name(), d.connected() ? "yes" : "no (" + d.monitor() + ")", d.runState(), d.queueDepth(),
                    d.events());
        }
        out.addAll(domains.lines(""));
        TextTable plugins = new TextTable("PLUGIN", "HANDLED>", "FAILED>");
        for (PluginSummary p : s.plugins()) {
            plugins.row(p.id(), p.handled(), p.failed());
        }
        plugins.row("(unhandled)", s.outcomes().getOrDefault("unhandled", 0L), "");
        out.addAll(plugins.lines(""));
        out.add("outcomes: " + brief(s.outcomes()));
        return out;
    }

    /** One line of progress, for output that is not a terminal. */
    static String progress(StatusReport s, Duration elapsed) {
        long read = s.domains().stream().mapToLong(DomainStatus::events).sum();
        long queued = s.domains().stream().mapToLong(DomainStatus::queueDepth).sum();
        return String.format(Locale.ROOT, "[%s] events read %d, queued %d; %s", seconds(elapsed), read, queued,
                brief(s.outcomes()));
    }

    /**
     * The summary after the daemon stopped.
     *
     * @param before   the status just before the stop (domains and plugins)
     * @param outcomes the journal's counts after the stop, every event accounted for
     * @param counters per plugin and per unhandled event, after the stop
     */
    static List<String> summary(StatusReport before, Map<String, Long> outcomes, OutcomeCounters counters,
                                long hostChanges, Duration elapsed) {
        List<String> out = new ArrayList<>();
        out.add("");
        out.add("Summary after " + seconds(elapsed));
        TextTable domains = new TextTable("DOMAIN", "EVENTS>", "RUN STATE AT THE END");
        for (DomainStatus d : before.domains()) {
            domains.row(d.name(), d.events(), d.runState());
        }
        out.addAll(domains.lines("  "));
        out.add("");
        if (before.plugins().isEmpty()) {
            out.add("  no plugins were loaded");
        } else {
            TextTable plugins = new TextTable("PLUGIN", "VERSION", "STATE", "HANDLED>", "FAILED>");
            for (PluginSummary p : before.plugins()) {
                plugins.row(p.id(), p.version(), p.state(), counters.handled(p.id()), counters.failed(p.id()));
            }
            out.addAll(plugins.lines("  "));
        }
        out.add("");
        out.add("  outcomes: " + join(outcomes));
        if (!counters.unhandled().isEmpty()) {
            out.add("  unhandled, since no plugin takes them yet: " + join(counters.unhandled()));
        }
        out.add("  host network changes the plugins would have made (dry run): "
                + (hostChanges == 0 ? "none" : hostChanges));
        return out;
    }

    /** Processed, unhandled and failed always; the rarer outcomes only once they happen. */
    static String brief(Map<String, Long> outcomes) {
        return outcomes.entrySet().stream()
                .filter(e -> e.getValue() > 0 || List.of("processed", "unhandled", "failed").contains(e.getKey()))
                .map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", "));
    }

    static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    static String join(Map<String, Long> counts) {
        return counts.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
    }
}
