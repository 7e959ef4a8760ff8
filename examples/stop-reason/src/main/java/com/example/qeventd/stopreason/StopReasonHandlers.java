package com.example.qeventd.stopreason;

import io.qeventd.api.EventHandlers;
import io.qeventd.api.EventType;
import io.qeventd.api.Handler;
import java.util.List;
import org.pf4j.Extension;

/**
 * On every STOP, asks QEMU why the VM stopped ({@code query-status}) and, when the reason is an I/O error, which
 * disks report one ({@code query-block}): the STOP event itself says neither, as libvirt also finds when it reads the
 * reason after a STOP.
 */
@Extension
public final class StopReasonHandlers implements EventHandlers {
    /** The plugin's event type; its name is the journal's {@code type}. */
    public enum StopEvent implements EventType { STOPPED }

    /** STOP carries no data. */
    public record NoData() {
    }

    @Override
    public List<Handler<?>> handlers() {
        return List.of(Handler.on("STOP", NoData.class).type(StopEvent.STOPPED)
                .process((ctx, event) -> StopReason.explain(ctx)));
    }
}
