package io.qeventd.runtime.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** {@code qeventd status} for people: a header line, then domains, plugins and outcome counts. */
public final class StatusTable {
    private StatusTable() {
    }

    public static List<String> lines(StatusReport r) {
        List<String> out = new ArrayList<>();
        out.add("qeventd " + r.version() + ", pid " + r.pid() + ", up " + uptime(r.uptimeSeconds())
                + " (since " + r.startedAt() + ")");
        out.add("");
        if (r.domains().isEmpty()) {
            out.add("no domains attached");
        } else {
            TextTable domains = new TextTable("DOMAIN", "CONNECTED", "RUN STATE", "QUEUE>", "EVENTS>");
            for (DomainStatus d : r.domains()) {
                domains.row(d.name(), d.connected() ? "yes" : "no (" + d.monitor() + ")", d.runState(),
                        d.queueDepth(), d.events());
            }
            out.addAll(domains.lines(""));
        }
        out.add("");
        if (r.plugins().isEmpty()) {
            out.add("no plugins loaded");
        } else {
            TextTable plugins = new TextTable("PLUGIN", "VERSION", "STATE", "HANDLED>", "FAILED>", "RELOADS>");
            for (PluginSummary p : r.plugins()) {
                plugins.row(p.id(), p.version(), p.state(), p.handled(), p.failed(), p.reloads());
            }
            out.addAll(plugins.lines(""));
            for (PluginSummary p : r.plugins()) {
                if (p.error() != null) {
                    out.add("  " + p.id() + ": " + p.error());
                }
            }
        }
        out.addAll(PluginStateTable.lines(r));
        out.add("");
        out.add("outcomes: " + join(r.outcomes()));
        if (r.journal() != null) {
            out.add(journal(r.journal()));
        }
        r.forwarding().forEach((section, fields) -> out.add("forwarding " + section + ": "
                + fields.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                        .collect(Collectors.joining(", "))));
        if (!r.unhandled().isEmpty()) {
            out.add("unhandled events (no plugin takes them): " + join(r.unhandled()));
        }
        return out;
    }

    private static String journal(JournalStatus j) {
        String where = j.file() == null ? "journal: no file" : "journal: " + j.file();
        String state = "error".equals(j.state())
                ? " CANNOT WRITE since " + j.since() + " (" + j.error() + "), " + j.waiting() + " record(s) waiting"
                : "";
        return where + state + ", backlog " + j.backlog() + ", lost " + j.lost();
    }

    private static String join(Map<String, Long> counts) {
        return counts.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
    }

    /** {@code 2d 3h}, {@code 4h 5m}, {@code 6m 7s} or {@code 8s}: the two largest units. */
    static String uptime(long seconds) {
        long d = seconds / 86400;
        long h = seconds % 86400 / 3600;
        long m = seconds % 3600 / 60;
        long s = seconds % 60;
        if (d > 0) {
            return d + "d " + h + "h";
        }
        if (h > 0) {
            return h + "h " + m + "m";
        }
        return m > 0 ? m + "m " + s + "s" : s + "s";
    }
}
