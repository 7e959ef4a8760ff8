package io.qeventd.plugins.guestsignals;

import com.google.inject.Inject;
import io.qeventd.api.Event;
import io.qeventd.api.EventHandlers;
import io.qeventd.api.Handler;
import io.qeventd.api.PluginSettings;
import io.qeventd.api.ProcessContext;
import io.qeventd.api.QmpErrorException;
import io.qeventd.api.state.SharedState;
import io.qeventd.api.state.StateKey;
import io.qeventd.events.BalloonChange;
import io.qeventd.events.MemoryDeviceSizeChange;
import io.qeventd.events.MemoryFailure;
import io.qeventd.events.RtcChange;
import io.qeventd.events.VserportChange;
import io.qeventd.events.Watchdog;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.pf4j.Extension;

/**
 * What the guest signals through its devices, kept per domain ({@link GuestSignalTable}): balloon size,
 * watchdog expiry and QEMU's action, RTC offset (also written to {@code rtcStateDir/DOMAIN.rtc-offset}),
 * virtio-serial ports open or closed (the guest agent's port among them), virtio-mem plugged sizes and
 * memory failures.
 *
 * <p>QEMU sends several of these at most once a second per source and keeps only the last one, so a
 * processor never counts events: it reads the current value from QEMU where QEMU can tell
 * ({@code query-balloon}, {@code query-memory-devices}) and otherwise takes the newest event's value as the
 * current one. Repeats of one source that are still queued collapse into the newest.
 */
@Extension
public final class GuestSignalHandlers implements EventHandlers {
    /** Each domain's signals, as {@code qeventd status} and other plugins read them. */
    public static final StateKey<GuestSignals> SIGNALS = StateKey.of("guest-signals.signals", GuestSignals.class);

    private final GuestSignalSettings settings;
    private final GuestSignalTable table;
    private final SharedState state;

    @Inject
    public GuestSignalHandlers(PluginSettings settings, SharedState state) {
        this(GuestSignalSettings.from(settings), new GuestSignalTable(), state);
    }

    GuestSignalHandlers(GuestSignalSettings settings, GuestSignalTable table, SharedState state) {
        this.settings = settings;
        this.table = table;
        this.state = state;
    }

    /** Keeps {@code change} in the table and publishes the domain's new signals. */
    private GuestSignals update(ProcessContext ctx, UnaryOperator<GuestSignals> change) {
        GuestSignals now = table.update(ctx.domain().name(), change);
        state.publish(ctx.domain().name(), SIGNALS, now);
        return now;
    }

    /** What every domain's guest signalled, for status and other plugins. */
    public GuestSignalTable signals() {
        return table;
    }

    @Override
    public List<Handler<?>> handlers() {
        return List.of(
                Handler.on(BalloonChange.NAME, BalloonChange.class).type(GuestSignalEvent.BALLOON_CHANGED)
                        .coalesceBy(b -> "balloon").process(this::balloonChanged),
                Handler.on(Watchdog.NAME, Watchdog.class).type(GuestSignalEvent.WATCHDOG_FIRED)
                        .process(this::watchdogFired),
                Handler.on(RtcChange.NAME, RtcChange.class).type(GuestSignalEvent.RTC_CHANGED)
                        .coalesceBy(RtcChange::qomPath).process(this::rtcChanged),
                Handler.on(VserportChange.NAME, VserportChange.class).type(GuestSignalEvent.SERIAL_PORT_CHANGED)
                        .coalesceBy(VserportChange::id).process(this::serialPortChanged),
                Handler.on(MemoryDeviceSizeChange.NAME, MemoryDeviceSizeChange.class)
                        .type(GuestSignalEvent.MEMORY_DEVICE_RESIZED).coalesceBy(MemoryDeviceSizeChange::qomPath)
                        .process(this::memoryDeviceResized),
                Handler.on(MemoryFailure.NAME, MemoryFailure.class).type(GuestSignalEvent.MEMORY_FAILURE)
                        .process(this::memoryFailure));
    }

    void balloonChanged(ProcessContext ctx, Event<BalloonChange> event) {
        // query-balloon answers {"actual": N}, the shape of the event's data.
        BalloonChange now = ctx.monitor().execute("query-balloon", null, BalloonChange.class);
        update(ctx, s -> s.withBalloon(now.actual()));
        ctx.report("balloon: guest memory " + mib(now.actual()));
    }

    void watchdogFired(ProcessContext ctx, Event<Watchdog> event) {
        String action = event.payload().action().toString();
        update(ctx, s -> s.withWatchdog(action, event.timestamp().toInstant()));
        ctx.report("watchdog expired: QEMU action " + action);
        ctx.log().warn("domain '{}': the guest's watchdog expired; QEMU's action: {}", ctx.domain().name(), action);
    }

    void rtcChanged(ProcessContext ctx, Event<RtcChange> event) throws IOException {
        String domain = ctx.domain().name();
        long offset = event.payload().offset() + settings.rtcBaseOffset(domain);
        update(ctx, s -> s.withRtcOffset(offset));
        ctx.report("rtc: offset " + offset + " s");
        if (settings.rtcStateDir() != null) {
            Path file = RtcOffsetFile.write(settings.rtcStateDir(), domain, offset);
            ctx.report("rtc: offset written to " + file);
        }
    }

    void serialPortChanged(ProcessContext ctx, Event<VserportChange> event) {
        VserportChange change = event.payload();
        String domain = ctx.domain().name();
        String name = table.of(domain).serialPorts().containsKey(change.id())
                ? table.of(domain).serialPorts().get(change.id()).name()
                : portName(ctx, change.id());
        SerialPort port = new SerialPort(change.id(), name, change.open());
        update(ctx, s -> s.withSerialPort(port));
        String what = port.isGuestAgent() ? "guest agent " + (port.open() ? "connected" : "disconnected")
                : "port " + (port.open() ? "opened" : "closed") + " by the guest";
        ctx.report(change.id() + (name == null ? "" : " (" + name + ")") + ": " + what);
    }

    void memoryDeviceResized(ProcessContext ctx, Event<MemoryDeviceSizeChange> event) {
        MemoryDeviceSizeChange change = event.payload();
        String key = change.id() != null ? change.id() : change.qomPath();
        long size = change.id() == null ? change.size() : pluggedSize(ctx, change.id(), change.size());
        update(ctx, s -> s.withMemoryDevice(key, size));
        ctx.report(key + ": plugged " + mib(size));
    }

    void memoryFailure(ProcessContext ctx, Event<MemoryFailure> event) {
        MemoryFailure failure = event.payload();
        update(ctx, s -> s.withMemoryFailure(failure, event.timestamp().toInstant()));
        boolean required = failure.flags().actionRequired();
        ctx.report("memory failure for the " + failure.recipient() + ": QEMU action " + failure.action()
                + (required ? " (action required)" : ""));
        ctx.log().error("domain '{}': memory failure for the {}; QEMU action {}", ctx.domain().name(),
                failure.recipient(), failure.action());
    }

    /** The port's name ({@code qom-get name}), or null when QEMU cannot tell (e.g. no such device path). */
    private static String portName(ProcessContext ctx, String id) {
        try {
            return ctx.monitor().execute("qom-get", Map.of("path", "/machine/peripheral/" + id, "property", "name"),
                    String.class);
        } catch (QmpErrorException e) {
            ctx.log().debug("domain '{}': cannot read the name of port {}: {}", ctx.domain().name(), id,
                    e.getMessage());
            return null;
        }
    }

    /** The device's plugged size as {@code query-memory-devices} shows it now, else the event's. */
    private static long pluggedSize(ProcessContext ctx, String id, long fromEvent) {
        if (ctx.monitor().execute("query-memory-devices") instanceof List<?> devices) {
            for (Object device : devices) {
                if (device instanceof Map<?, ?> d && d.get("data") instanceof Map<?, ?> data
                        && Objects.equals(data.get("id"), id) && data.get("size") instanceof Number size) {
                    return size.longValue();
                }
            }
        }
        return fromEvent;
    }

    private static String mib(long bytes) {
        return bytes / (1024 * 1024) + " MiB";
    }
}
