package ${package};

import io.qeventd.api.EventHandlers;
import io.qeventd.api.EventType;
import io.qeventd.api.Handler;
import io.qeventd.api.ProcessContext;
import java.util.List;
import org.pf4j.Extension;

/**
 * The plugin's handlers: on every STOP and RESUME of a domain, ask QEMU for its run state and report it in the
 * journal. Replace them with yours; the daemon creates this class through Guice (an {@code @Inject} constructor may
 * take {@code PluginSettings} or {@code HostNetwork}).
 */
@Extension
public final class RunStateHandlers implements EventHandlers {
    /** The plugin's event types: each constant's name is the journal's {@code type}. */
    public enum RunStateEvent implements EventType { STOPPED, RESUMED }

    /** STOP and RESUME carry no data. */
    public record NoData() {
    }

    /** What {@code query-status} returns (fields the record lacks are ignored). */
    public record Status(String status, boolean running) {
    }

    @Override
    public List<Handler<?>> handlers() {
        return List.of(
                Handler.on("STOP", NoData.class).type(RunStateEvent.STOPPED).process((ctx, event) -> report(ctx)),
                Handler.on("RESUME", NoData.class).type(RunStateEvent.RESUMED).process((ctx, event) -> report(ctx)));
    }

    /** Runs on a worker holding the domain's job: blocking QMP commands are allowed here. */
    static void report(ProcessContext ctx) {
        Status status = ctx.monitor().execute("query-status", null, Status.class);
        ctx.log().info("{} is {}", ctx.domain().name(), status.status());
        ctx.report("status " + status.status());
    }
}
