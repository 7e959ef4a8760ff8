package io.qeventd.plugins.blockjobs;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The data of BLOCK_JOB_READY, BLOCK_JOB_COMPLETED and BLOCK_JOB_CANCELLED.
 *
 * @param type   the job type (mirror, commit, stream, backup, …)
 * @param device the job's id (QEMU kept the old name of this field)
 * @param len    the job's total work, in bytes; it may grow while the job runs
 * @param offset the work done, in bytes
 * @param speed  the rate limit, bytes per second (0: none)
 * @param error  BLOCK_JOB_COMPLETED only: why the job failed, absent on success
 */
public record BlockJobInfo(@JsonProperty("type") String type, @JsonProperty("device") String device,
                           @JsonProperty("len") long len, @JsonProperty("offset") long offset,
                           @JsonProperty("speed") long speed, @JsonProperty("error") String error) {
}
