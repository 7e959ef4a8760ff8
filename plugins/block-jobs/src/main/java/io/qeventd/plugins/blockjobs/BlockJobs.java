package io.qeventd.plugins.blockjobs;

import java.util.List;

/**
 * The block jobs of every domain as this plugin tracks them, and the one request it takes from callers:
 * pivot a mirror job when it is ready.
 */
public interface BlockJobs {
    /** The domain's jobs that QEMU still holds, ordered by id; empty for a domain without jobs. */
    List<BlockJob> jobs(String domain);

    /**
     * Asks for {@code job-complete} of the mirror job {@code jobId} once it is ready (at once if it is ready
     * already and its domain's next block-job event or resync comes). Marks are kept until the job is gone.
     */
    void markForPivot(String domain, String jobId);
}
