package io.qeventd.plugins.blockjobs;

import io.qeventd.events.JobStatus;

/**
 * What the plugin knows of one block job of a domain.
 *
 * @param id     the job's id
 * @param type   its type (mirror, commit, stream, backup, …), {@code null} until QEMU names it
 * @param status its status in QEMU's job state machine
 * @param offset work done, bytes, as last reported
 * @param len    total work, bytes, as last reported
 * @param error  why it failed, {@code null} while it has not (or succeeded)
 */
public record BlockJob(String id, String type, JobStatus status, long offset, long len, String error) {

    static BlockJob created(String id) {
        return new BlockJob(id, null, JobStatus.CREATED, 0, 0, null);
    }

    BlockJob withStatus(JobStatus newStatus) {
        return new BlockJob(id, type, newStatus, offset, len, error);
    }

    BlockJob withProgress(String newType, long newOffset, long newLen) {
        return new BlockJob(id, newType == null ? type : newType, status, newOffset, newLen, error);
    }

    BlockJob withError(String newError) {
        return new BlockJob(id, type, status, offset, len, newError);
    }

    public boolean isMirror() {
        return "mirror".equals(type);
    }
}
