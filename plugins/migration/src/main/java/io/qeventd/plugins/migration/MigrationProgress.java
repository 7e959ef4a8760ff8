package io.qeventd.plugins.migration;

import io.qeventd.api.state.StateKey;
import io.qeventd.api.state.StatusFields;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A domain's outgoing (or incoming) migration as this plugin last saw it, published as {@link #KEY}.
 *
 * @param status     QEMU's migration status ({@code setup}, {@code active}, {@code completed}, {@code failed},
 *                   {@code cancelled}, ...)
 * @param passes     RAM passes so far (MIGRATION_PASS)
 * @param remaining  RAM bytes still to send at the last look, or -1 when unknown
 * @param dirtyRate  pages dirtied per second at the last look, or -1 when unknown
 * @param transferred RAM bytes sent at the last look, or -1 when unknown
 * @param error      why it failed, when it did
 */
public record MigrationProgress(String status, long passes, long remaining, long dirtyRate, long transferred,
                                String error) implements StatusFields {
    public static final StateKey<MigrationProgress> KEY = StateKey.of("migration.progress", MigrationProgress.class);
    static final MigrationProgress NONE = new MigrationProgress("none", 0, -1, -1, -1, null);

    MigrationProgress withStatus(String s) {
        return new MigrationProgress(s, passes, remaining, dirtyRate, transferred, error);
    }

    MigrationProgress withPass(long pass) {
        return new MigrationProgress(status, pass, remaining, dirtyRate, transferred, error);
    }

    MigrationProgress withRam(MigrateInfo.Ram ram) {
        return new MigrationProgress(status, passes, ram.remaining(), ram.dirtyPagesRate(), ram.transferred(), error);
    }

    MigrationProgress withError(String e) {
        return new MigrationProgress(status, passes, remaining, dirtyRate, transferred, e);
    }

    @Override
    public Map<String, Object> statusFields() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", status);
        m.put("passes", passes);
        m.put("remaining", remaining < 0 ? null : remaining);
        m.put("dirty-rate", dirtyRate < 0 ? null : dirtyRate);
        m.put("transferred", transferred < 0 ? null : transferred);
        m.put("error", error);
        return m;
    }
}
