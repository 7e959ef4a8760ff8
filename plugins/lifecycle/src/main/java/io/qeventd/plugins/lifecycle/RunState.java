package io.qeventd.plugins.lifecycle;

import io.qeventd.api.state.StateKey;
import io.qeventd.api.state.StatusFields;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A domain's run state as this plugin last saw it, published as {@link #KEY} for other plugins and status.
 *
 * @param state  QEMU's run-state name ({@code running}, {@code paused}, {@code shutdown}, {@code guest-panicked},
 *               {@code io-error}, ...)
 * @param reason why, when known: a SHUTDOWN or RESET cause, {@code guest-panic}, {@code query-status}
 * @param event  the event that set it, or {@code query-status}
 * @param ended  whether the domain ended (QEMU announced its end or the monitor closed after SHUTDOWN)
 */
public record RunState(String state, String reason, String event, boolean ended) implements StatusFields {
    /** Published per domain under this key. */
    public static final StateKey<RunState> KEY = StateKey.of("lifecycle.run-state", RunState.class);

    @Override
    public Map<String, Object> statusFields() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("state", state);
        m.put("reason", reason);
        m.put("event", event);
        m.put("ended", ended);
        return m;
    }
}
