package io.qeventd.plugins.blockjobs;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Which concluded jobs the plugin dismisses ({@code job-dismiss}), so QEMU forgets them. */
public enum DismissPolicy {
    /** Leave every concluded job for whoever started it (the default). */
    @JsonProperty("never") NEVER,
    /** Dismiss jobs that concluded without an error; keep failed ones for inspection. */
    @JsonProperty("succeeded") SUCCEEDED,
    /** Dismiss every concluded job. */
    @JsonProperty("always") ALWAYS;

    boolean dismisses(BlockJob job) {
        return this == ALWAYS || this == SUCCEEDED && job.error() == null;
    }
}
