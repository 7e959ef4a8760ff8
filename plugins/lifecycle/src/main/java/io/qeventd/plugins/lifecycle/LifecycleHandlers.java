package io.qeventd.plugins.lifecycle;

import io.qeventd.api.Event;
import io.qeventd.api.EventHandlers;
import io.qeventd.api.Handler;
import io.qeventd.api.MonitorClosedException;
import io.qeventd.api.PluginSettings;
import io.qeventd.api.ProcessContext;
import io.qeventd.api.ResyncReason;
import io.qeventd.api.state.SharedState;
import io.qeventd.events.DumpCompleted;
import io.qeventd.events.GuestCrashloaded;
import io.qeventd.events.GuestPanicAction;
import io.qeventd.events.GuestPanicked;
import io.qeventd.events.Powerdown;
import io.qeventd.events.QemuEvents;
import io.qeventd.events.Reset;
import io.qeventd.events.Resume;
import io.qeventd.events.Shutdown;
import io.qeventd.events.ShutdownCause;
import io.qeventd.events.Stop;
import io.qeventd.events.Suspend;
import io.qeventd.events.SuspendDisk;
import io.qeventd.events.Wakeup;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.pf4j.Extension;

/**
 * Run-state events: each domain's run state and its reason, published as {@link RunState#KEY} (initialised
 * from {@code query-status} on every connect), and libvirt's {@code on_poweroff} / {@code on_crash} policies.
 * SHUTDOWN and GUEST_PANICKED also run for a domain that has just ended, so the end is recorded with its
 * reason.
 */
@Extension
public final class LifecycleHandlers implements EventHandlers {
    /** SHUTDOWN causes after which QEMU exits whatever its options. */
    private static final Set<ShutdownCause> ENDING = Set.of(ShutdownCause.HOST_QMP_QUIT, ShutdownCause.HOST_SIGNAL,
            ShutdownCause.HOST_UI, ShutdownCause.HOST_ERROR);

    private final LifecycleSettings settings;
    private final RunStates runStates;
    private final CrashResponse crash;

    @Inject
    public LifecycleHandlers(PluginSettings settings, SharedState state) {
        this.settings = LifecycleSettings.from(settings);
        this.runStates = new RunStates(state);
        this.crash = new CrashResponse(state);
    }

    @Override
    public List<Handler<?>> handlers() {
        return List.of(
                // A STOP asks QEMU for the run state; one still queued behind a newer STOP would ask in vain.
                Handler.on(QemuEvents.STOP, Stop.class).type(LifecycleEvent.STOPPED).resync(this::resync)
                        .coalesceBy(stop -> "run-state").process((ctx, e) -> stopped(ctx)),
                // Every RESUME is processed (it asks nothing): a busy lane must not turn it into 'coalesced'.
                Handler.on(QemuEvents.RESUME, Resume.class).type(LifecycleEvent.RESUMED)
                        .process((ctx, e) -> runStates.set(ctx, new RunState("running", null, e.name(), false))),
                Handler.on(QemuEvents.RESET, Reset.class).type(LifecycleEvent.RESET)
                        .process((ctx, e) -> runStates.note(ctx, e.name(), e.payload().reason().toString())),
                Handler.on(QemuEvents.SHUTDOWN, Shutdown.class).type(LifecycleEvent.SHUTDOWN).runAfterDomainEnd()
                        .process(this::shutdown),
                Handler.on(QemuEvents.POWERDOWN, Powerdown.class).type(LifecycleEvent.POWERDOWN)
                        .process((ctx, e) -> runStates.note(ctx, e.name(), "power button")),
                Handler.on(QemuEvents.SUSPEND, Suspend.class).type(LifecycleEvent.SUSPENDED)
                        .process((ctx, e) -> runStates.set(ctx, new RunState("suspended", "memory", e.name(), false))),
                Handler.on(QemuEvents.SUSPEND_DISK, SuspendDisk.class).type(LifecycleEvent.SUSPENDED_TO_DISK)
                        .process((ctx, e) -> runStates.set(ctx, new RunState("suspended", "disk", e.name(), false))),
                Handler.on(QemuEvents.WAKEUP, Wakeup.class).type(LifecycleEvent.WOKEN)
                        .process((ctx, e) -> runStates.set(ctx, new RunState("running", "wakeup", e.name(), false))),
                // With QEMU's panic action poweroff, the panic announces the domain's end.
                Handler.on(QemuEvents.GUEST_PANICKED, GuestPanicked.class).type(LifecycleEvent.PANICKED)
                        .runAfterDomainEnd().process(this::panicked),
                Handler.on(QemuEvents.GUEST_CRASHLOADED, GuestCrashloaded.class).type(LifecycleEvent.CRASH_LOADED)
                        .process(this::crashLoaded),
                Handler.on(QemuEvents.DUMP_COMPLETED, DumpCompleted.class).type(LifecycleEvent.DUMP_COMPLETED)
                        .process((ctx, e) -> crash.dumpCompleted(ctx, e.payload())));
    }

    /** After a (re)connect, a reset, an overflow or a reload: QEMU's own word on the run state. */
    private void resync(ProcessContext ctx, ResyncReason reason) {
        runStates.query(ctx).ifPresent(s -> runStates.set(ctx, new RunState(s, null, "query-status", false)));
    }

    /** STOP names no reason; QEMU's run state does (paused, io-error, guest-panicked, postmigrate, ...). */
    private void stopped(ProcessContext ctx) {
        String s = runStates.query(ctx).orElse("paused");
        runStates.set(ctx, new RunState(s.equals("running") ? "paused" : s, null, QemuEvents.STOP, false));
    }

    private void shutdown(ProcessContext ctx, Event<Shutdown> e) {
        Shutdown s = e.payload();
        String reason = s.reason().toString();
        DomainPolicy policy = settings.policy(ctx.domain().name());
        boolean quit = s.guest() && policy.onPoweroff() == PoweroffAction.QUIT && ctx.domain().isActive();
        if (quit) {
            CrashResponse.quit(ctx);
            ctx.report("on poweroff: quit");
        }
        boolean ended = quit || ENDING.contains(s.reason()) || !ctx.domain().isActive();
        runStates.set(ctx, new RunState("shutdown", reason, e.name(), ended));
    }

    private void panicked(ProcessContext ctx, Event<GuestPanicked> e) {
        GuestPanicAction action = e.payload().action();
        runStates.set(ctx, new RunState("guest-panicked", "action " + action, e.name(), !ctx.domain().isActive()));
        if (action != GuestPanicAction.PAUSE) {
            // QEMU itself powers the guest off (a SHUTDOWN follows) or lets it run: nothing to decide.
            ctx.report("QEMU's panic action is " + action + ": no on-crash policy applies");
            return;
        }
        Instant when = e.timestamp().isKnown() ? e.timestamp().toInstant() : e.received();
        try {
            crash.panicked(ctx, settings.policy(ctx.domain().name()), when);
        } catch (MonitorClosedException gone) {
            ctx.report("on crash: the domain ended before the policy ran");
        }
    }

    private void crashLoaded(ProcessContext ctx, Event<GuestCrashloaded> e) {
        // The guest's crash kernel took over: it runs on and saves its own dump, so no policy applies.
        runStates.set(ctx, new RunState("running", "crash kernel loaded", e.name(), false));
    }
}
