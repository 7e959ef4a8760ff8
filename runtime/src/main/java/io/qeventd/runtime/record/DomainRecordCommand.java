package io.qeventd.runtime.record;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qeventd.runtime.admin.AdminStream;
import io.qeventd.runtime.admin.AdminStreamCommand;
import io.qeventd.runtime.domain.DomainHandle;
import io.qeventd.runtime.domain.DomainRegistry;
import io.qeventd.runtime.monitor.MonitorConnection;
import io.qeventd.runtime.monitor.MonitorState;
import io.qeventd.runtime.qmp.QmpMessage;
import java.io.IOException;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * The admin command {@code record}: records a domain the daemon watches, for {@code qeventd record --domain}. QEMU
 * takes one QMP client at a time, so the daemon's own connection is tapped ({@link RecordingTap}) and its lines go to
 * the client as {@code {"line": LINE}}, LINE as a recording file spells it: QEMU's greeting first, then every event,
 * every command the daemon sends (secrets redacted) and every reply, in the order they passed. The stream ends with
 * {@code {"end": {"reason", "events"}}} when the monitor closes or reconnects (a recording holds one connection), or
 * with {@code {"cut-off": {"missed": N}}} when the client did not keep up; it stops when the client goes.
 */
public final class DomainRecordCommand implements AdminStreamCommand {
    private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final DomainRegistry domains;

    public DomainRecordCommand(DomainRegistry domains) {
        this.domains = domains;
    }

    @Override
    public void stream(JsonNode arguments, AdminStream out) throws IOException {
        JsonNode d = arguments == null ? null : arguments.get("domain");
        if (d == null || !d.isTextual() || d.asText().isBlank()) {
            throw new IllegalArgumentException("missing string argument \"domain\"");
        }
        String name = d.asText();
        DomainHandle domain = domains.get(name).orElseThrow(() -> new IllegalArgumentException("domain '" + name
                + "' is not watched by this daemon; watched: " + watched()));
        MonitorConnection monitor = domain.monitor();
        QmpMessage.Greeting greeting = monitor == null ? null : monitor.greeting();
        if (monitor == null || monitor.state() != MonitorState.RUNNING || greeting == null) {
            throw new IllegalArgumentException("domain '" + name + "' is not connected (its monitor is "
                    + (monitor == null ? "not open" : monitor.state().name().toLowerCase(Locale.ROOT)) + ")");
        }
        RecordingTap tap = new RecordingTap();
        if (!monitor.attachTap(tap)) {
            throw new IllegalArgumentException("domain '" + name + "' is being recorded by another client");
        }
        try {
            long connects = monitor.stats().connects();
            out.begin(Map.of("domain", name, "qemu", greeting.qemuVersion()));
            out.line(line(new RecordedLine(Instant.now(), RecordedLine.From.QEMU, greetingJson(greeting))));
            record(name, monitor, connects, tap, out);
        } finally {
            monitor.detachTap(tap);
        }
    }

    private void record(String name, MonitorConnection monitor, long connects, RecordingTap tap, AdminStream out)
            throws IOException {
        long events = 0;
        while (true) {
            // Read the state before polling: every line of a connection that ended is queued by then.
            boolean same = monitor.state() == MonitorState.RUNNING && monitor.stats().connects() == connects;
            RecordingTap.Tapped t = tap.poll(IDLE_NANOS);
            if (t == null) {
                if (tap.overflowed()) {
                    out.line("{\"cut-off\":{\"missed\":" + tap.dropped() + "}}");
                    return;
                }
                if (!same) {
                    end(out, "the monitor of domain '" + name + "' closed", events);
                    return;
                }
                if (Thread.currentThread().isInterrupted() || out.clientGone()) {
                    return;
                }
                continue;
            }
            JsonNode qmp;
            try {
                qmp = Recording.MAPPER.readTree(t.line());
            } catch (IOException e) {
                continue; // not JSON: the daemon skips it too, and a replay could not play it
            }
            if (qmp == null || !qmp.isObject()) {
                continue;
            }
            if (t.fromQemu() && qmp.has("QMP") || !t.fromQemu() && "qmp_capabilities".equals(
                    qmp.path("execute").asText(null))) {
                end(out, "the monitor of domain '" + name + "' reconnected", events);
                return;
            }
            RecordedLine.From from = t.fromQemu() ? RecordedLine.From.QEMU : RecordedLine.From.CLIENT;
            JsonNode kept = t.fromQemu() ? qmp : Redaction.command(qmp);
            out.line(line(new RecordedLine(t.at(), from, kept)));
            if (t.fromQemu() && qmp.has("event")) {
                events++;
            }
        }
    }

    private static void end(AdminStream out, String reason, long events) throws IOException {
        ObjectNode end = Recording.MAPPER.createObjectNode();
        end.putObject("end").put("reason", reason).put("events", events);
        out.line(end.toString());
    }

    private static String line(RecordedLine l) {
        return "{\"line\":" + Recording.toJson(l) + "}";
    }

    /** QEMU's greeting as it sent it: {@code {"QMP": {"version": …, "capabilities": […]}}}. */
    static JsonNode greetingJson(QmpMessage.Greeting g) {
        ObjectNode root = Recording.MAPPER.createObjectNode();
        ObjectNode qmp = root.putObject("QMP");
        qmp.set("version", g.version() == null ? Recording.MAPPER.createObjectNode() : g.version());
        ArrayNode caps = qmp.putArray("capabilities");
        g.capabilities().forEach(caps::add);
        return root;
    }

    private String watched() {
        TreeSet<String> names = new TreeSet<>();
        domains.all().forEach(h -> names.add(h.name()));
        return names.isEmpty() ? "none" : String.join(", ", names);
    }
}
