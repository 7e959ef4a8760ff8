package io.qeventd.plugins.migration;

import io.qeventd.api.Event;
import io.qeventd.api.EventHandlers;
import io.qeventd.api.Handler;
import io.qeventd.api.PluginSettings;
import io.qeventd.api.ProcessContext;
import io.qeventd.api.QmpErrorException;
import io.qeventd.api.ResyncReason;
import io.qeventd.api.state.SharedState;
import io.qeventd.events.Migration;
import io.qeventd.events.MigrationPass;
import io.qeventd.events.MigrationStatus;
import io.qeventd.events.QemuEvents;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.pf4j.Extension;

/**
 * Migration per domain, published as {@link MigrationProgress#KEY}: QEMU's status from MIGRATION, the pass
 * count from MIGRATION_PASS with {@code query-migrate}'s figures on each pass, and a failed or cancelled
 * migration reported (journal action and a warning with QEMU's reason).
 */
@Extension
public final class MigrationHandlers implements EventHandlers {
    private final MigrationSettings settings;
    private final SharedState state;

    @Inject
    public MigrationHandlers(PluginSettings settings, SharedState state) {
        this.settings = MigrationSettings.from(settings);
        this.state = state;
    }

    @Override
    public List<Handler<?>> handlers() {
        return List.of(
                Handler.on(QemuEvents.MIGRATION, Migration.class).type(MigrationEvent.STATUS_CHANGED)
                        .resync(this::resync).process(this::status),
                Handler.on(QemuEvents.MIGRATION_PASS, MigrationPass.class).type(MigrationEvent.PASS)
                        .process(this::pass));
    }

    /** After a connect: events on, and QEMU's own word on any migration under way. */
    private void resync(ProcessContext ctx, ResyncReason reason) {
        if (settings.enableEvents() && (reason == ResyncReason.CONNECTED || reason == ResyncReason.RECONNECTED
                || reason == ResyncReason.PLUGIN_LOADED)) {
            try {
                ctx.monitor().execute("migrate-set-capabilities", Map.of("capabilities",
                        List.of(Map.of("capability", "events", "state", true))));
                ctx.report("migration events on");
            } catch (QmpErrorException e) {
                // Refused while a migration runs; the status below still tells where it stands.
                ctx.report("migration events not turned on: " + e.getMessage());
            }
        }
        MigrateInfo info = query(ctx);
        // QEMU leaves the status out when no migration ever ran.
        String status = info.status() == null ? "none" : info.status();
        update(ctx, p -> info.ram() == null ? p.withStatus(status) : p.withStatus(status).withRam(info.ram()));
    }

    private void status(ProcessContext ctx, Event<Migration> e) {
        MigrationStatus s = e.payload().status();
        String name = s.toString();
        if (s == MigrationStatus.SETUP) {
            // A new migration: the previous one's figures no longer apply.
            update(ctx, p -> MigrationProgress.NONE.withStatus(name));
        } else {
            update(ctx, p -> p.withStatus(name));
        }
        ctx.report("migration " + name);
        if (s == MigrationStatus.FAILED) {
            String why = query(ctx).errorDesc();
            update(ctx, p -> p.withError(why));
            ctx.report("migration failed: " + (why == null ? "QEMU gave no reason" : why));
            ctx.log().warn("domain {}: migration failed: {}", ctx.domain().name(), why);
        } else if (s == MigrationStatus.CANCELLED) {
            ctx.log().warn("domain {}: migration cancelled", ctx.domain().name());
        } else if (s == MigrationStatus.COMPLETED && settings.queryOnPass()) {
            MigrateInfo info = query(ctx);
            if (info.ram() != null) {
                update(ctx, p -> p.withRam(info.ram()));
                ctx.report("migration completed: " + info.ram().transferred() + " bytes of RAM sent");
            }
        }
    }

    private void pass(ProcessContext ctx, Event<MigrationPass> e) {
        long n = e.payload().pass();
        update(ctx, p -> p.withPass(n));
        if (!settings.queryOnPass()) {
            ctx.report("pass " + n);
            return;
        }
        MigrateInfo info = query(ctx);
        if (info.ram() == null) {
            ctx.report("pass " + n + " (migration " + info.status() + ")");
            return;
        }
        update(ctx, p -> p.withRam(info.ram()));
        ctx.report("pass " + n + ": " + info.ram().remaining() + " bytes remaining, " + info.ram().dirtyPagesRate()
                + " pages/s dirtied");
    }

    private static MigrateInfo query(ProcessContext ctx) {
        return ctx.monitor().execute("query-migrate", null, MigrateInfo.class);
    }

    private void update(ProcessContext ctx, UnaryOperator<MigrationProgress> change) {
        String domain = ctx.domain().name();
        // Only this domain's processors change its entry, one at a time (its events run in order).
        state.publish(domain, MigrationProgress.KEY,
                change.apply(state.get(domain, MigrationProgress.KEY).orElse(MigrationProgress.NONE)));
    }
}
