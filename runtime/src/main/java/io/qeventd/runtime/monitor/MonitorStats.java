package io.qeventd.runtime.monitor;

/**
 * Counters of one monitor since it was opened.
 *
 * @param events          events read
 * @param malformedLines  lines that were no QMP message, logged and skipped
 * @param unknownReplies  replies whose id matched no pending command
 * @param lateReplies     replies to commands that had already timed out
 * @param bytesRead       bytes read off the socket
 * @param connects        successful negotiations
 */
public record MonitorStats(long events, long malformedLines, long unknownReplies, long lateReplies, long bytesRead,
                           long connects) {
}
