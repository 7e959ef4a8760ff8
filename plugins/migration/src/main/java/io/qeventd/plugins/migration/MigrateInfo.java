package io.qeventd.plugins.migration;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The parts of {@code query-migrate}'s reply this plugin reads. */
record MigrateInfo(String status, Ram ram, @JsonProperty("error-desc") String errorDesc) {
    /** RAM figures; absent before the first pass. */
    record Ram(long transferred, long remaining, long total, @JsonProperty("dirty-pages-rate") long dirtyPagesRate,
               @JsonProperty("dirty-sync-count") long dirtySyncCount) {
    }
}
