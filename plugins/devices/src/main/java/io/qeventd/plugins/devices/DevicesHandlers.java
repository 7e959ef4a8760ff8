package io.qeventd.plugins.devices;

import io.qeventd.api.Event;
import io.qeventd.api.EventHandlers;
import io.qeventd.api.Handler;
import io.qeventd.api.PluginSettings;
import io.qeventd.api.ProcessContext;
import io.qeventd.api.state.SharedState;
import io.qeventd.events.AcpiDeviceOst;
import io.qeventd.events.AcpiOstInfo;
import io.qeventd.events.DeviceDeleted;
import io.qeventd.events.DeviceTrayMoved;
import io.qeventd.events.DeviceUnplugGuestError;
import io.qeventd.events.QemuEvents;
import jakarta.inject.Inject;
import java.util.List;
import org.pf4j.Extension;

/**
 * Device events per domain, published as {@link DomainDevices#KEY}: devices deleted and unplugs the guest
 * refused (which also settle {@link DeviceRemoval} waiters), removable-media trays, ACPI _OST reports.
 */
@Extension
public final class DevicesHandlers implements EventHandlers {
    private final SharedState state;
    private final DeviceBook book;
    private final PendingRemovals removals;

    @Inject
    public DevicesHandlers(PluginSettings settings, SharedState state) {
        this.state = state;
        this.book = new DeviceBook(state);
        this.removals = new PendingRemovals(book, DevicesSettings.from(settings).removalTimeout());
    }

    @Override
    public List<Handler<?>> handlers() {
        // Offered when the daemon takes this version's handlers; withdrawn when the version goes.
        state.provide(DeviceRemoval.KEY, removals);
        return List.of(
                Handler.on(QemuEvents.DEVICE_DELETED, DeviceDeleted.class).type(DeviceEvent.DELETED)
                        .process(this::deleted),
                Handler.on(QemuEvents.DEVICE_UNPLUG_GUEST_ERROR, DeviceUnplugGuestError.class)
                        .type(DeviceEvent.UNPLUG_GUEST_ERROR).process(this::refused),
                Handler.on(QemuEvents.DEVICE_TRAY_MOVED, DeviceTrayMoved.class).type(DeviceEvent.TRAY_MOVED)
                        .process(this::trayMoved),
                Handler.on(QemuEvents.ACPI_DEVICE_OST, AcpiDeviceOst.class).type(DeviceEvent.ACPI_OST)
                        .process(this::ost));
    }

    /** The service, for tests of this plugin. */
    DeviceRemoval removal() {
        return removals;
    }

    private void deleted(ProcessContext ctx, Event<DeviceDeleted> e) {
        String id = PendingRemovals.id(e.payload().device(), e.payload().path());
        book.update(ctx.domain().name(), d -> d.withDeleted(id));
        boolean waited = removals.deleted(ctx.domain().name(), e.payload());
        ctx.report("device " + id + " deleted (" + e.payload().path() + ")" + (waited ? ", waiter notified" : ""));
    }

    private void refused(ProcessContext ctx, Event<DeviceUnplugGuestError> e) {
        String id = PendingRemovals.id(e.payload().device(), e.payload().path());
        book.update(ctx.domain().name(), d -> d.withUnplugError(id));
        boolean waited = removals.refused(ctx.domain().name(), e.payload());
        ctx.report("guest refused to release device " + id + (waited ? ", waiter failed" : ""));
        ctx.log().warn("domain {}: the guest refused to release device {} ({})", ctx.domain().name(), id,
                e.payload().path());
    }

    private void trayMoved(ProcessContext ctx, Event<DeviceTrayMoved> e) {
        DeviceTrayMoved t = e.payload();
        String id = t.id().isEmpty() ? t.device() : t.id();
        book.update(ctx.domain().name(), d -> d.withTray(id, t.trayOpen()));
        ctx.report("tray of " + id + (t.trayOpen() ? " open" : " closed"));
    }

    private void ost(ProcessContext ctx, Event<AcpiDeviceOst> e) {
        AcpiOstInfo i = e.payload().info();
        String ost = i.slotType() + " " + i.slot() + (i.device() == null ? "" : " (" + i.device() + ")") + ": source "
                + i.source() + ", status " + i.status();
        book.update(ctx.domain().name(), d -> d.withOst(ost));
        ctx.report("ACPI _OST " + ost);
        if (i.status() != 0) {
            // Non-zero _OST status: the guest failed the (un)plug of that slot.
            ctx.log().warn("domain {}: guest reported ACPI _OST failure for {}", ctx.domain().name(), ost);
        }
    }
}
