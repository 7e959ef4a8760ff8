package io.qeventd.plugins.blockerrors;

/**
 * A node's write threshold.
 *
 * @param node      the block node
 * @param threshold the offset, bytes, whose crossing QEMU reports
 * @param exceeded  by how many bytes the last write crossed it, 0 while it has not fired since armed
 * @param armed     whether QEMU watches it now (QEMU disarms a threshold when it fires)
 */
public record WriteThreshold(String node, long threshold, long exceeded, boolean armed) {
}
