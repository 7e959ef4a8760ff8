package io.qeventd.plugins.blockjobs;

import com.google.inject.Inject;
import io.qeventd.api.Event;
import io.qeventd.api.EventHandlers;
import io.qeventd.api.Handler;
import io.qeventd.api.PluginSettings;
import io.qeventd.api.ProcessContext;
import io.qeventd.api.Processor;
import io.qeventd.api.ResyncReason;
import io.qeventd.api.state.SharedState;
import io.qeventd.api.state.StateKey;
import io.qeventd.events.BlockJobCancelled;
import io.qeventd.events.BlockJobCompleted;
import io.qeventd.events.BlockJobError;
import io.qeventd.events.BlockJobPending;
import io.qeventd.events.BlockJobReady;
import io.qeventd.events.JobStatus;
import io.qeventd.events.JobStatusChange;
import io.qeventd.events.JobType;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.pf4j.Extension;

/**
 * JOB_STATUS_CHANGE and BLOCK_JOB_READY / COMPLETED / CANCELLED / ERROR / PENDING: keeps every job's state
 * per domain ({@link BlockJobs}), dismisses concluded jobs as the {@code dismiss} policy says, and pivots
 * ({@code job-complete}) mirror jobs the configuration or a caller marked once they are ready.
 *
 * <p>Decisions are taken on what QEMU reports now ({@code query-jobs}), not on the event alone: a job may
 * have moved on (or been dismissed by whoever started it) by the time a worker runs the processor. After a
 * (re)connect, reset, overflow or plugin load the table is rebuilt from {@code query-jobs} and the policies
 * are applied to what it shows, as libvirt re-reads its block jobs on reconnect.
 */
@Extension
public final class BlockJobHandlers implements EventHandlers {
    /** Each domain's jobs, as {@code qeventd status} and other plugins read them. */
    public static final StateKey<DomainBlockJobs> JOBS = StateKey.of("block-jobs.jobs", DomainBlockJobs.class);
    /** The plugin's service: the jobs, and pivot marks from other plugins. */
    public static final StateKey<BlockJobs> SERVICE = StateKey.of("block-jobs.service", BlockJobs.class);
    static final String QUERY = "query-jobs";

    private final BlockJobSettings settings;
    private final BlockJobTable table;
    private final SharedState state;

    @Inject
    public BlockJobHandlers(PluginSettings settings, SharedState state) {
        this(BlockJobSettings.from(settings), new BlockJobTable(), state);
    }

    BlockJobHandlers(BlockJobSettings settings, BlockJobTable table, SharedState state) {
        this.settings = settings;
        this.table = table;
        this.state = state;
    }

    /** The jobs this plugin tracks, for status and other plugins. */
    public BlockJobs jobs() {
        return table;
    }

    /** Publishes the domain's jobs (and the service) after a processor or resync changed them. */
    private void publish(ProcessContext ctx) {
        state.provide(SERVICE, table);
        state.publish(ctx.domain().name(), JOBS, new DomainBlockJobs(table.jobs(ctx.domain().name())));
    }

    /** Runs {@code processor}, then publishes what it changed, even if it failed halfway. */
    private <P> Processor<P> publishing(Processor<P> processor) {
        return (ctx, event) -> {
            try {
                processor.process(ctx, event);
            } finally {
                publish(ctx);
            }
        };
    }

    @Override
    public List<Handler<?>> handlers() {
        return List.of(
                Handler.on(JobStatusChange.NAME, JobStatusChange.class).type(BlockJobEvent.STATUS_CHANGED)
                        .resync(this::refresh).process(publishing(this::statusChanged)),
                Handler.on(BlockJobReady.NAME, BlockJobReady.class).type(BlockJobEvent.READY)
                        .process(publishing(this::ready)),
                Handler.on(BlockJobCompleted.NAME, BlockJobCompleted.class).type(BlockJobEvent.COMPLETED)
                        .process(publishing(this::completed)),
                Handler.on(BlockJobCancelled.NAME, BlockJobCancelled.class).type(BlockJobEvent.CANCELLED)
                        .process(publishing(this::cancelled)),
                Handler.on(BlockJobError.NAME, BlockJobError.class).type(BlockJobEvent.ERROR)
                        .process(publishing(this::error)),
                Handler.on(BlockJobPending.NAME, BlockJobPending.class).type(BlockJobEvent.PENDING)
                        .process(publishing(this::pending)));
    }

    void statusChanged(ProcessContext ctx, Event<JobStatusChange> event) {
        String domain = ctx.domain().name();
        JobStatusChange change = event.payload();
        if (change.status() == JobStatus.NULL) {
            table.remove(domain, change.id());
            ctx.report(change.id() + ": gone");
            return;
        }
        table.update(domain, change.id(), j -> j.withStatus(change.status()));
        ctx.report(change.id() + ": " + change.status());
        if (change.status() == JobStatus.CONCLUDED) {
            current(ctx, change.id()).ifPresent(job -> concluded(ctx, job));
        }
    }

    void ready(ProcessContext ctx, Event<BlockJobReady> event) {
        BlockJobReady info = event.payload();
        BlockJob job = table.update(ctx.domain().name(), info.device(),
                j -> j.withProgress(name(info.type()), info.offset(), info.len()).withStatus(JobStatus.READY));
        ctx.report(info.device() + ": ready (" + info.offset() + " of " + info.len() + " bytes)");
        pivotIfMarked(ctx, job);
    }

    void completed(ProcessContext ctx, Event<BlockJobCompleted> event) {
        BlockJobCompleted info = event.payload();
        table.update(ctx.domain().name(), info.device(),
                j -> j.withProgress(name(info.type()), info.offset(), info.len()).withError(info.error()));
        if (info.error() == null) {
            ctx.report(info.device() + ": completed");
        } else {
            ctx.report(info.device() + ": failed: " + info.error());
            ctx.log().warn("domain '{}': block job {} failed: {}", ctx.domain().name(), info.device(), info.error());
        }
    }

    void cancelled(ProcessContext ctx, Event<BlockJobCancelled> event) {
        BlockJobCancelled info = event.payload();
        table.update(ctx.domain().name(), info.device(),
                j -> j.withProgress(name(info.type()), info.offset(), info.len()));
        ctx.report(info.device() + ": cancelled at " + info.offset() + " of " + info.len() + " bytes");
    }

    void error(ProcessContext ctx, Event<BlockJobError> event) {
        BlockJobError e = event.payload();
        String what = e.operation() + " error, action " + e.action();
        table.update(ctx.domain().name(), e.device(), j -> j.withError(what));
        ctx.report(e.device() + ": " + what);
        ctx.log().warn("domain '{}': block job {}: {}", ctx.domain().name(), e.device(), what);
    }

    void pending(ProcessContext ctx, Event<BlockJobPending> event) {
        BlockJobPending p = event.payload();
        table.update(ctx.domain().name(), p.id(),
                j -> j.withProgress(name(p.type()), j.offset(), j.len()).withStatus(JobStatus.PENDING));
        ctx.report(p.id() + ": pending");
    }

    /** Rebuilds the domain's table from {@code query-jobs} and applies the policies to what it shows. */
    void refresh(ProcessContext ctx, ResyncReason reason) {
        List<BlockJob> jobs = queryJobs(ctx);
        table.replace(ctx.domain().name(), jobs);
        try {
            for (BlockJob job : jobs) {
                switch (job.status()) {
                    case CONCLUDED -> concluded(ctx, job);
                    case READY -> pivotIfMarked(ctx, job);
                    default -> { }
                }
            }
        } finally {
            publish(ctx);
        }
    }

    private void concluded(ProcessContext ctx, BlockJob job) {
        String domain = ctx.domain().name();
        table.update(domain, job.id(), j -> job);
        if (!settings.dismissFor(domain).dismisses(job)) {
            return;
        }
        ctx.monitor().execute("job-dismiss", Map.of("id", job.id()));
        table.remove(domain, job.id());
        ctx.report(job.id() + ": dismissed" + (job.error() == null ? "" : " (failed: " + job.error() + ")"));
    }

    private void pivotIfMarked(ProcessContext ctx, BlockJob job) {
        String domain = ctx.domain().name();
        if (!settings.pivots(domain, job.id()) && !table.markedForPivot(domain, job.id())) {
            return;
        }
        if (!job.isMirror()) {
            ctx.report(job.id() + ": marked for pivot but a " + job.type() + " job; left alone");
            return;
        }
        ctx.monitor().execute("job-complete", Map.of("id", job.id()));
        ctx.report(job.id() + ": pivot requested (job-complete)");
        ctx.log().info("domain '{}': mirror {} ready; pivoting", domain, job.id());
    }

    /** The job as QEMU reports it now, or empty when QEMU no longer holds it. */
    private static Optional<BlockJob> current(ProcessContext ctx, String id) {
        return queryJobs(ctx).stream().filter(j -> j.id().equals(id)).findFirst();
    }

    /** QEMU's name of a job type; {@code null} for one the catalogue does not know (a newer QEMU's). */
    private static String name(JobType type) {
        return type == null || type == JobType.UNRECOGNIZED ? null : type.value();
    }

    private static List<BlockJob> queryJobs(ProcessContext ctx) {
        JobInfo[] infos = ctx.monitor().execute(QUERY, null, JobInfo[].class);
        return infos == null ? List.of() : Arrays.stream(infos).map(JobInfo::toJob).toList();
    }
}
