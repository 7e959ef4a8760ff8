package io.qeventd.plugins.nic;

import io.qeventd.api.HostNetworkException;
import io.qeventd.api.LinkState;
import io.qeventd.api.Monitor;
import io.qeventd.api.Nic;
import io.qeventd.api.ProcessContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Mirrors one NIC's guest receive filter onto its host device: asks QEMU for the filter, reads the
 * device, plans the differences and applies them one by one. A change that fails is logged and
 * reported, and the remaining changes are still applied.
 *
 * <p>Asking QEMU ({@value #QUERY}) also re-arms its notification: QEMU sends NIC_RX_FILTER_CHANGED for
 * a NIC once and then stays silent until the filter is queried again.
 */
final class RxFilterSync {
    static final String QUERY = "query-rx-filter";

    /**
     * What one sync did.
     *
     * @param applied  the changes made, in order
     * @param failures for each change that failed, what failed
     */
    record Result(List<FilterChange> applied, List<String> failures) {
        Result {
            applied = List.copyOf(applied);
            failures = List.copyOf(failures);
        }

        boolean failed() {
            return !failures.isEmpty();
        }
    }

    private RxFilterSync() {
    }

    /**
     * Syncs {@code nic}, reporting every change made or failed through {@code ctx}.
     *
     * @throws io.qeventd.api.QmpException  QEMU could not be asked (the domain went away, QEMU answered
     *                                      with an error, or the reply is not a filter)
     * @throws HostNetworkException         the host device could not be read
     * @throws RxFilterSyncException        QEMU's reply has no entry for the NIC
     * @throws NotMacvtapException          the host device is not a macvtap (checked before QEMU is asked)
     */
    static Result sync(ProcessContext ctx, Nic nic) {
        String where = where(nic);
        LinkState host = ctx.host().link(nic.netns(), nic.hostDevice());
        if (!host.isMacvtap()) {
            throw new NotMacvtapException(ctx.domain().name(), nic.alias(), where, host.kind());
        }
        RxFilter guest = query(ctx.monitor(), nic.alias());
        List<FilterChange> changes = RxFilterPlanner.plan(guest, host);
        if (changes.isEmpty()) {
            ctx.log().debug("{} -> {}: in step with the guest", nic.alias(), where);
            return new Result(List.of(), List.of());
        }
        List<FilterChange> applied = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (FilterChange change : changes) {
            try {
                change.applyTo(ctx.host(), nic.netns(), nic.hostDevice());
                applied.add(change);
                ctx.report(where + ": " + change.describe());
            } catch (HostNetworkException e) {
                String failure = where + ": " + change.describe() + " failed: " + e.getMessage();
                failures.add(failure);
                ctx.report(failure);
                ctx.log().warn("domain '{}', NIC {}: {}", ctx.domain().name(), nic.alias(), failure);
            }
        }
        if (!applied.isEmpty()) {
            ctx.log().info("domain '{}', NIC {} -> {}: {}", ctx.domain().name(), nic.alias(), where,
                    String.join(", ", applied.stream().map(FilterChange::describe).toList()));
        }
        return new Result(applied, failures);
    }

    /** How the journal and log name a host device: {@code mvt0}, or {@code mvt0 (netns tenant1)}. */
    static String where(Nic nic) {
        return nic.netns() == null ? nic.hostDevice() : nic.hostDevice() + " (netns " + nic.netns() + ")";
    }

    private static RxFilter query(Monitor monitor, String alias) {
        RxFilter[] entries = monitor.execute(QUERY, Map.of("name", alias), RxFilter[].class);
        if (entries != null) {
            for (RxFilter entry : entries) {
                if (entry != null && alias.equals(entry.name())) {
                    return entry;
                }
            }
        }
        throw new RxFilterSyncException(QUERY + " for NIC " + alias + " returned no entry for it: "
                + (entries == null ? "null" : Arrays.stream(entries).map(e -> e == null ? "null" : e.name()).toList()));
    }
}
