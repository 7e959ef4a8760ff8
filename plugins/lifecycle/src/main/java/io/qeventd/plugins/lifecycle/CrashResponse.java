package io.qeventd.plugins.lifecycle;

import io.qeventd.api.MonitorClosedException;
import io.qeventd.api.ProcessContext;
import io.qeventd.api.state.SharedState;
import io.qeventd.api.state.StateKey;
import io.qeventd.events.DumpCompleted;
import io.qeventd.events.DumpStatus;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The on-crash policy: after a panic that paused the guest, optionally dump its memory (asynchronously, QEMU
 * reports DUMP_COMPLETED), then preserve, reset or quit. Also the guest-shutdown policy's {@code quit}.
 */
final class CrashResponse {
    /** The last dump of each domain, published for other plugins and status. */
    static final StateKey<DumpState> DUMP = StateKey.of("lifecycle.dump", DumpState.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final SharedState state;
    /** Per domain, what to do once its dump completes. */
    private final Map<String, CrashAction> afterDump = new ConcurrentHashMap<>();

    CrashResponse(SharedState state) {
        this.state = state;
    }

    /** A panic paused the guest: dump first when configured, else act now. */
    void panicked(ProcessContext ctx, DomainPolicy policy, Instant when) {
        String domain = ctx.domain().name();
        if (policy.dumpDirectory().isPresent()) {
            Path file = policy.dumpDirectory().get().resolve(domain + "-" + STAMP.format(when) + ".elf");
            Map<String, Object> args = new LinkedHashMap<>();
            args.put("paging", false);
            args.put("protocol", "file:" + file);
            args.put("detach", true);
            afterDump.put(domain, policy.onCrash());
            ctx.monitor().execute("dump-guest-memory", args);
            state.publish(domain, DUMP, new DumpState(file.toString(), "active", 0, 0, null));
            ctx.report("on crash: dump-guest-memory to " + file + ", then " + name(policy.onCrash()));
            return;
        }
        act(ctx, policy.onCrash());
    }

    /** QEMU finished a dump: record it, then carry out the crash action that waited for it. */
    void dumpCompleted(ProcessContext ctx, DumpCompleted done) {
        String domain = ctx.domain().name();
        String file = state.get(domain, DUMP).map(DumpState::file).orElse(null);
        DumpStatus status = done.result().status();
        state.publish(domain, DUMP, new DumpState(file, status.toString(), done.result().completed(),
                done.result().total(), done.error()));
        ctx.report("dump " + status + (file == null ? "" : " " + file) + ": " + done.result().completed() + " of "
                + done.result().total() + " bytes" + (done.error() == null ? "" : ", error: " + done.error()));
        CrashAction next = afterDump.remove(domain);
        if (next != null) {
            act(ctx, next);
        }
    }

    void act(ProcessContext ctx, CrashAction action) {
        switch (action) {
            case PRESERVE -> ctx.report("on crash: preserve (guest stays paused)");
            case RESET -> {
                ctx.monitor().execute("system_reset");
                ctx.monitor().execute("cont");
                ctx.report("on crash: system_reset, cont");
            }
            case QUIT -> {
                quit(ctx);
                ctx.report("on crash: quit");
            }
        }
    }

    /** Sends {@code quit}; QEMU may close the monitor before its reply arrives, which is the point. */
    static void quit(ProcessContext ctx) {
        try {
            ctx.monitor().execute("quit");
        } catch (MonitorClosedException e) {
            // Gone already: what quit asked for.
        }
    }

    private static String name(CrashAction a) {
        return a.name().toLowerCase(Locale.ROOT);
    }
}
