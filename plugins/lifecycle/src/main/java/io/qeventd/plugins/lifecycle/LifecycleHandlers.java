package io.qeventd.plugins.lifecycle;

import io.qeventd.api.Event;
import io.qeventd.api.EventHandlers;
import io.qeventd.api.Handler;
import io.qeventd.api.ProcessContext;
import java.util.List;
import org.pf4j.Extension;

/**
 * Logs every run-state change QEMU reports, per domain. (The daemon itself tracks each domain's run
 * state for {@code qeventd status}, asking QEMU after every connect; this plugin needs no resync.)
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
                on("WAKEUP", LifecycleEvent.WOKEN, "woken up"));
    }

    private Handler<RunStateChange> on(String event, LifecycleEvent type, String what) {
        return Handler.on(event, RunStateChange.class).type(type).process((ctx, e) -> log(ctx, e, what));
    }

    private static void log(ProcessContext ctx, Event<RunStateChange> e, String what) {
        ctx.log().info("domain {}: {}{}", ctx.domain().name(), what, e.payload() == null ? "" : e.payload().describe());
    }
}
