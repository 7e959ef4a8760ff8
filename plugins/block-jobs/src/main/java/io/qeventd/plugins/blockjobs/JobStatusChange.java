package io.qeventd.plugins.blockjobs;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The data of JOB_STATUS_CHANGE.
 *
 * @param id     the job's id
 * @param status its new status, QEMU's name (created, running, paused, ready, standby, waiting, pending,
 *               aborting, concluded, undefined, null); kept as text so a newer QEMU's states pass through
 */
public record JobStatusChange(@JsonProperty("id") String id, @JsonProperty("status") String status) {
}
