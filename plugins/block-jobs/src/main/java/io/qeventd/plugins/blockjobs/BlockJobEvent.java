package io.qeventd.plugins.blockjobs;

import io.qeventd.api.EventType;

/** The process events this plugin queues. */
public enum BlockJobEvent implements EventType {
    /** JOB_STATUS_CHANGE: a job moved through QEMU's job state machine. */
    STATUS_CHANGED,
    /** BLOCK_JOB_READY: a mirror reached sync and may be completed (pivoted). */
    READY,
    /** BLOCK_JOB_COMPLETED: a job finished, with or without an error. */
    COMPLETED,
    /** BLOCK_JOB_CANCELLED. */
    CANCELLED,
    /** BLOCK_JOB_ERROR: an I/O error in a job, and what QEMU did about it. */
    ERROR,
    /** BLOCK_JOB_PENDING: a job waits to be finalized. */
    PENDING
}
