package io.qeventd.plugins.nic;

import com.google.inject.Inject;
import io.qeventd.api.CommandTimeoutException;
import io.qeventd.api.Event;
import io.qeventd.api.EventHandlers;
import io.qeventd.api.Handler;
import io.qeventd.api.MonitorClosedException;
import io.qeventd.api.Nic;
import io.qeventd.api.ProcessContext;
import io.qeventd.api.ResyncReason;
import io.qeventd.api.state.SharedState;
import io.qeventd.api.state.StateKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.pf4j.Extension;

/**
 * NIC_RX_FILTER_CHANGED: mirrors the guest's receive filter (MAC, multicast list, promiscuous and
 * all-multicast modes) onto the host device of each NIC the configuration trusts
 * ({@code trustGuestRxFilters}).
 *
 * <p>QEMU sends the event for a NIC once and then stays silent until the NIC's filter is queried, so:
 * repeats for one NIC still queued collapse into one (the sync reads the current filter anyway); a NIC
 * that is not trusted is never queried, which also keeps QEMU from sending more events for it; and after
 * every (re)connect, guest reset, queue overflow or plugin load every trusted NIC is synced, which
 * catches up on changes made meanwhile and re-arms QEMU's notification.
 */
@Extension
public final class NicRxFilterHandlers implements EventHandlers {
    public static final String EVENT = "NIC_RX_FILTER_CHANGED";
    /** Each domain's trusted NICs and what their last sync did, as {@code qeventd status} shows them. */
    public static final StateKey<DomainNics> NICS = StateKey.of("nic-rx-filter.nics", DomainNics.class);

    private final SharedState state;
    private final Map<String, DomainNics> domains = new ConcurrentHashMap<>();

    @Inject
    public NicRxFilterHandlers(SharedState state) {
        this.state = state;
    }

    @Override
    public List<Handler<?>> handlers() {
        return List.of(Handler.on(EVENT, NicRxFilterChanged.class)
                .type(NicEvent.RX_FILTER_CHANGED)
                .coalesceBy(NicRxFilterHandlers::nicName)
                .resync(this::syncTrustedNics)
                .process(this::filterChanged));
    }

    /** The coalescing key; null (no coalescing) for an event without a name, which the processor refuses. */
    static String nicName(NicRxFilterChanged data) {
        return data == null ? null : data.name();
    }

    void filterChanged(ProcessContext ctx, Event<NicRxFilterChanged> event) {
        NicRxFilterChanged data = event.payload();
        String domain = ctx.domain().name();
        if (data == null || data.name() == null || data.name().isBlank()) {
            ctx.log().warn("domain '{}': {} without a NIC name (path {}); ignored", domain, EVENT,
                    data == null ? null : data.path());
            ctx.report("event without a NIC name; ignored");
            return;
        }
        Optional<Nic> configured = ctx.domain().nic(data.name());
        if (configured.isEmpty()) {
            ctx.log().warn("domain '{}': {} for NIC {}, which the configuration does not list; ignored", domain,
                    EVENT, data.name());
            ctx.report(data.name() + ": not configured; ignored");
            return;
        }
        Nic nic = configured.get();
        if (!nic.trustGuestRxFilters()) {
            ctx.log().debug("domain '{}': NIC {} does not trust the guest's RX filters; ignored", domain, nic.alias());
            ctx.report(nic.alias() + ": guest RX filters not trusted; ignored");
            return;
        }
        if (nic.hostDevice() == null) {
            ctx.log().warn("domain '{}': trusted NIC {} has no host device; ignored", domain, nic.alias());
            ctx.report(nic.alias() + ": no host device; ignored");
            return;
        }
        RxFilterSync.Result result = sync(ctx, nic);
        if (result.failed()) {
            throw new RxFilterSyncException(summary(nic, result));
        }
    }

    /** Syncs one NIC and publishes what the sync did, or why it could not. */
    private RxFilterSync.Result sync(ProcessContext ctx, Nic nic) {
        String where = RxFilterSync.where(nic);
        try {
            RxFilterSync.Result result = RxFilterSync.sync(ctx, nic);
            int total = result.applied().size() + result.failures().size();
            publish(ctx, nic, where + ": " + (total == 0 ? "in step" : result.failed()
                    ? result.failures().size() + " of " + total + " changes failed"
                    : total + (total == 1 ? " change" : " changes")));
            return result;
        } catch (RuntimeException e) {
            publish(ctx, nic, where + ": failed: " + e.getMessage());
            throw e;
        }
    }

    private void publish(ProcessContext ctx, Nic nic, String sync) {
        DomainNics now = domains.compute(ctx.domain().name(),
                (d, old) -> (old == null ? DomainNics.NONE : old).with(nic.alias(), sync));
        state.publish(ctx.domain().name(), NICS, now);
    }

    /** Syncs every trusted NIC; one NIC's failure does not keep the others from being synced. */
    void syncTrustedNics(ProcessContext ctx, ResyncReason reason) {
        List<Nic> trusted = ctx.domain().nics().stream()
                .filter(n -> n.trustGuestRxFilters() && n.hostDevice() != null).toList();
        if (trusted.isEmpty()) {
            return;
        }
        ctx.log().debug("domain '{}': syncing {} trusted NIC(s) ({})", ctx.domain().name(), trusted.size(),
                reason.name().toLowerCase(Locale.ROOT));
        List<String> failures = new ArrayList<>();
        for (Nic nic : trusted) {
            try {
                RxFilterSync.Result result = sync(ctx, nic);
                if (result.failed()) {
                    failures.add(summary(nic, result));
                }
            } catch (MonitorClosedException | CommandTimeoutException e) {
                throw e; // QEMU is gone or not answering: the other NICs would fare no better
            } catch (RuntimeException e) {
                String failure = nic.alias() + " -> " + RxFilterSync.where(nic) + ": cannot sync: " + e.getMessage();
                failures.add(failure);
                ctx.report(failure);
                ctx.log().warn("domain '{}': {}", ctx.domain().name(), failure);
            }
        }
        if (!failures.isEmpty()) {
            throw new RxFilterSyncException(String.join("; ", failures));
        }
    }

    private static String summary(Nic nic, RxFilterSync.Result result) {
        int total = result.applied().size() + result.failures().size();
        return nic.alias() + " -> " + RxFilterSync.where(nic) + ": " + result.failures().size() + " of " + total
                + " changes failed (see the actions)";
    }
}
