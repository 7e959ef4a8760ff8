package io.qeventd.plugins.blockerrors;

import com.google.inject.Inject;
import io.qeventd.api.Event;
import io.qeventd.api.EventHandlers;
import io.qeventd.api.Handler;
import io.qeventd.api.PluginSettings;
import io.qeventd.api.ProcessContext;
import io.qeventd.api.QmpErrorException;
import io.qeventd.api.ResyncReason;
import io.qeventd.api.state.SharedState;
import io.qeventd.api.state.StateKey;
import io.qeventd.events.BlockErrorAction;
import io.qeventd.events.BlockIoError;
import io.qeventd.events.BlockWriteThreshold;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.pf4j.Extension;

/**
 * BLOCK_IO_ERROR and BLOCK_WRITE_THRESHOLD, recorded per device and node ({@link BlockErrorState}), and the
 * operator command {@code space-added}: once an operator says space was added, the plugin re-arms the write
 * thresholds that fired (QEMU disarms one when it fires) and, when {@code resumeWhenSpaceAdded} is on,
 * resumes ({@code cont}) a guest QEMU paused on an I/O error, as libvirt leaves a domain paused on ENOSPC
 * until someone resumes it. Configured thresholds are armed whenever the monitor (re)connects, the guest is
 * reset or the plugin is loaded, except one that fired, which waits for the operator's word.
 */
@Extension
public final class BlockErrorHandlers implements EventHandlers {
    /** Each domain's disk errors and thresholds, as {@code qeventd status} and other plugins read them. */
    public static final StateKey<BlockErrorState> STATE = StateKey.of("block-errors.disks", BlockErrorState.class);
    static final String PAUSED_ON_IO_ERROR = "io-error";

    private final BlockErrorSettings settings;
    private final SharedState state;
    private final Map<String, BlockErrorState> domains = new ConcurrentHashMap<>();
    private final Map<String, SpaceAdded> operatorWords = new ConcurrentHashMap<>();

    @Inject
    public BlockErrorHandlers(PluginSettings settings, SharedState state) {
        this(BlockErrorSettings.from(settings), state);
    }

    BlockErrorHandlers(BlockErrorSettings settings, SharedState state) {
        this.settings = settings;
        this.state = state;
    }

    @Override
    public List<Handler<?>> handlers() {
        return List.of(
                Handler.on(BlockIoError.NAME, BlockIoError.class).type(BlockErrorEvent.IO_ERROR)
                        .command(SpaceAdded.COMMAND, this::spaceAdded).resync(this::resync).process(this::ioError),
                Handler.on(BlockWriteThreshold.NAME, BlockWriteThreshold.class).type(BlockErrorEvent.WRITE_THRESHOLD)
                        .process(this::thresholdExceeded));
    }

    void ioError(ProcessContext ctx, Event<BlockIoError> event) {
        BlockIoError e = event.payload();
        String device = e.device() == null || e.device().isEmpty() ? e.nodeName() : e.device();
        boolean noSpace = Boolean.TRUE.equals(e.nospace());
        DeviceError error = new DeviceError(device, e.operation().toString(), e.action().toString(), noSpace,
                e.reason(), event.timestamp().toInstant());
        update(ctx, s -> s.withError(error));
        String outcome = e.action() == BlockErrorAction.STOP ? "guest paused" : "QEMU action " + e.action();
        ctx.report(device + ": " + e.operation() + " error (" + e.reason() + (noSpace ? ", no space" : "") + "), "
                + outcome);
        ctx.log().warn("domain '{}': {} {} error: {}; {}", ctx.domain().name(), device, e.operation(), e.reason(),
                outcome);
    }

    void thresholdExceeded(ProcessContext ctx, Event<BlockWriteThreshold> event) {
        BlockWriteThreshold t = event.payload();
        update(ctx, s -> s.withThreshold(new WriteThreshold(t.nodeName(), t.writeThreshold(), t.amountExceeded(),
                false)));
        ctx.report(t.nodeName() + ": write threshold " + t.writeThreshold() + " exceeded by " + t.amountExceeded()
                + " bytes (QEMU disarmed it)");
    }

    /** On an admin thread: keeps the operator's word for the resync run that follows. */
    void spaceAdded(String domain, Map<String, String> arguments) {
        operatorWords.put(domain, SpaceAdded.parse(arguments));
    }

    void resync(ProcessContext ctx, ResyncReason reason) {
        String domain = ctx.domain().name();
        if (reason != ResyncReason.OPERATOR) {
            // A threshold that fired stays disarmed until the operator says space was added.
            Map<String, WriteThreshold> known = domains.getOrDefault(domain, BlockErrorState.NONE).thresholds();
            settings.thresholds(domain).forEach((node, bytes) -> {
                WriteThreshold t = known.get(node);
                if (t == null || t.armed()) {
                    arm(ctx, node, bytes, "armed");
                }
            });
            return;
        }
        SpaceAdded word = operatorWords.remove(domain);
        if (word == null) {
            ctx.report("no operator word pending; nothing done");
            return;
        }
        rearm(ctx, word);
        resume(ctx);
    }

    private void rearm(ProcessContext ctx, SpaceAdded word) {
        String domain = ctx.domain().name();
        Map<String, Long> configured = settings.thresholds(domain);
        Map<String, Long> targets = new LinkedHashMap<>();
        BlockErrorState now = domains.getOrDefault(domain, BlockErrorState.NONE);
        if (word.node() != null) {
            WriteThreshold known = now.thresholds().get(word.node());
            Long bytes = word.threshold() != null ? word.threshold()
                    : configured.getOrDefault(word.node(), known == null ? null : known.threshold());
            if (bytes == null) {
                throw new IllegalArgumentException("node " + word.node() + " has no threshold to re-arm: give"
                        + " threshold=BYTES"
                        + " or configure pluginSettings.block-errors.writeThresholds." + word.node());
            }
            targets.put(word.node(), bytes);
        } else {
            now.thresholds().values().stream().filter(t -> !t.armed())
                    .forEach(t -> targets.put(t.node(), configured.getOrDefault(t.node(), t.threshold())));
            configured.forEach(targets::putIfAbsent);
            if (word.threshold() != null) {
                targets.replaceAll((node, bytes) -> word.threshold());
            }
        }
        targets.forEach((node, bytes) -> arm(ctx, node, bytes, "re-armed"));
    }

    private void resume(ProcessContext ctx) {
        if (!settings.resumeWhenSpaceAdded()) {
            ctx.report("resume not configured (resumeWhenSpaceAdded: false); the guest is left as it is");
            return;
        }
        Object status = ctx.monitor().execute("query-status") instanceof Map<?, ?> m ? m.get("status") : null;
        if (!PAUSED_ON_IO_ERROR.equals(status)) {
            ctx.report("not paused on an I/O error (run state " + status + "); not resumed");
            return;
        }
        ctx.monitor().execute("cont");
        update(ctx, s -> s.withPausedNoSpace(false));
        ctx.report("resumed (cont) after space was added");
        ctx.log().info("domain '{}': resumed after the operator said space was added", ctx.domain().name());
    }

    private void arm(ProcessContext ctx, String node, long bytes, String verb) {
        try {
            ctx.monitor().execute("block-set-write-threshold", Map.of("node-name", node, "write-threshold", bytes));
        } catch (QmpErrorException e) {
            ctx.report(node + ": cannot arm a write threshold: " + e.description());
            throw e;
        }
        update(ctx, s -> s.withThreshold(new WriteThreshold(node, bytes, 0, true)));
        ctx.report(node + ": write threshold " + verb + " at " + bytes);
    }

    private void update(ProcessContext ctx, UnaryOperator<BlockErrorState> change) {
        BlockErrorState now = domains.compute(ctx.domain().name(),
                (d, old) -> change.apply(old == null ? BlockErrorState.NONE : old));
        state.publish(ctx.domain().name(), STATE, now);
    }
}
