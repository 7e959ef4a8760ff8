package io.qeventd.plugins.lifecycle;

import io.qeventd.api.MonitorClosedException;
import io.qeventd.api.ProcessContext;
import io.qeventd.api.state.SharedState;
import java.util.Optional;

/** Keeps each domain's {@link RunState} published and says in the journal how it changed. */
final class RunStates {
    private final SharedState state;

    RunStates(SharedState state) {
        this.state = state;
    }

    Optional<RunState> current(ProcessContext ctx) {
        return state.get(ctx.domain().name(), RunState.KEY);
    }

    void set(ProcessContext ctx, RunState next) {
        state.publish(ctx.domain().name(), RunState.KEY, next);
        ctx.report("run state " + next.state() + (next.reason() == null ? "" : " (" + next.reason() + ")")
                + (next.ended() ? ", domain ended" : ""));
        ctx.log().info("domain {}: {}{}{}", ctx.domain().name(), next.state(),
                next.reason() == null ? "" : " (" + next.reason() + ")", next.ended() ? ", domain ended" : "");
    }

    /** Keeps the state, noting the event and its reason (RESET, POWERDOWN). */
    void note(ProcessContext ctx, String event, String reason) {
        String s = current(ctx).map(RunState::state).orElse("unknown");
        set(ctx, new RunState(s, reason, event, false));
    }

    /**
     * Asks QEMU for the run state (on connect, after a STOP, whose event names no reason); empty when the
     * monitor closed meanwhile.
     */
    Optional<String> query(ProcessContext ctx) {
        try {
            return Optional.of(ctx.monitor().execute("query-status", null, StatusInfo.class).status());
        } catch (MonitorClosedException e) {
            return Optional.empty();
        }
    }
}
