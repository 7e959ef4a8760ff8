package io.qeventd.plugins.guestsignals;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * Each domain's {@link GuestSignals}. A domain's processors run one at a time (they hold its job), so one
 * domain's entry has one writer at a time; readers see immutable snapshots.
 */
public final class GuestSignalTable {
    private final Map<String, GuestSignals> domains = new ConcurrentHashMap<>();

    /** The domain's signals so far; {@link GuestSignals#NONE}-like (all null, empty) when it signalled nothing. */
    public GuestSignals of(String domain) {
        return domains.getOrDefault(domain, GuestSignals.NONE);
    }

    GuestSignals update(String domain, UnaryOperator<GuestSignals> change) {
        return domains.compute(domain, (d, old) -> change.apply(old == null ? GuestSignals.NONE : old));
    }
}
