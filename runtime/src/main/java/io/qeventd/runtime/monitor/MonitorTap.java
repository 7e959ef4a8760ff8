package io.qeventd.runtime.monitor;

/**
 * Sees every line of a monitor's connection while it is attached ({@link MonitorConnection#attachTap}): what QEMU
 * sent and what the daemon wrote, in the order they passed. Both calls come on the monitor's reader thread, which
 * serves many monitors: an implementation copies what it keeps into a bounded hand-off and returns at once; it never
 * blocks, and when its hand-off is full it drops and counts rather than wait.
 */
public interface MonitorTap {
    /** A line QEMU sent, without its line end; {@code buf} is reused once this returns. */
    void received(byte[] buf, int off, int len);

    /** A line the daemon wrote to QEMU (a command), line end included; {@code buf} is not to be modified. */
    void sent(byte[] buf, int off, int len);
}
