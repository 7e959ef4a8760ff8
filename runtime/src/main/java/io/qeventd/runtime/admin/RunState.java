package io.qeventd.runtime.admin;

import java.time.Instant;
import java.util.Objects;

/**
 * A domain's last known run state.
 *
 * @param state  QEMU's name for it, as query-status reports it ({@code running}, {@code paused},
 *               {@code shutdown}, {@code suspended}, {@code guest-panicked}, {@code prelaunch}, ...)
 * @param asOf   when QEMU was in that state: the event's timestamp, or for a query-status answer the
 *               moment the query was sent
 * @param source what told us: {@code query-status} or the event's name
 */
public record RunState(String state, Instant asOf, String source) {
    public static final String UNKNOWN = "unknown";

    public RunState {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(asOf, "asOf");
        Objects.requireNonNull(source, "source");
    }

    /** Whether this state should replace {@code older}: it is at least as recent. */
    boolean supersedes(RunState older) {
        return older == null || !asOf.isBefore(older.asOf);
    }
}
