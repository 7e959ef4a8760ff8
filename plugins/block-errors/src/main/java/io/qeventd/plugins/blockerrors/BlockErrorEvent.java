package io.qeventd.plugins.blockerrors;

import io.qeventd.api.EventType;

/** The process events this plugin queues. */
public enum BlockErrorEvent implements EventType {
    /** BLOCK_IO_ERROR: a guest's disk request failed; QEMU ignored it, reported it to the guest or paused it. */
    IO_ERROR,
    /** BLOCK_WRITE_THRESHOLD: a write went past a node's threshold, which QEMU then disarmed. */
    WRITE_THRESHOLD
}
