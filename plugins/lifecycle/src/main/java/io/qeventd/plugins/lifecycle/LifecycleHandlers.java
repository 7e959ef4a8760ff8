package io.qeventd.plugins.lifecycle;

import io.qeventd.api.Event;
import io.qeventd.api.EventHandlers;
import io.qeventd.api.Handler;
import io.qeventd.api.ProcessContext;
import io.qeventd.api.ResyncReason;
import java.util.List;
import java.util.Map;
import org.pf4j.Extension;

/**
 * Follows each domain's run state: logs every change QEMU reports, and after a (re)connect asks QEMU
 * for the current state, since changes made while the monitor was away produced no event.
 */
@Extension
public final class LifecycleHandlers implements EventHandlers {

    @Override
    public List<Handler<?>> handlers() {
        return List.of(
                on("STOP", LifecycleEvent.STOPPED, "paused"),
                on("RESUME", LifecycleEvent.RESUMED, "running"),
                on("RESET", LifecycleEvent.RESET, "reset"),
                on("SHUTDOWN", LifecycleEvent.SHUTDOWN, "shut down"),
                on("POWERDOWN", LifecycleEvent.POWERDOWN, "asked to power down"),
                on("SUSPEND", LifecycleEvent.SUSPENDED, "suspended"),
                Handler.on("WAKEUP", RunStateChange.class).type(LifecycleEvent.WOKEN)
                        .resync(this::readRunState)
                        .process((ctx, e) -> log(ctx, e, "woken up")));
    }

    private Handler<RunStateChange> on(String event, LifecycleEvent type, String what) {
        return Handler.on(event, RunStateChange.class).type(type).process((ctx, e) -> log(ctx, e, what));
    }

    private static void log(ProcessContext ctx, Event<RunStateChange> e, String what) {
        ctx.log().info("domain {}: {}{}", ctx.domain().name(), what, e.payload() == null ? "" : e.payload().describe());
    }

    private void readRunState(ProcessContext ctx, ResyncReason reason) {
        if (reason == ResyncReason.CONNECTED || reason == ResyncReason.RECONNECTED) {
            Object status = ctx.monitor().execute("query-status");
            Object state = status instanceof Map<?, ?> m ? m.get("status") : status;
            ctx.log().info("domain {}: run state {} ({})", ctx.domain().name(), state, reason.name().toLowerCase());
        }
    }
}
