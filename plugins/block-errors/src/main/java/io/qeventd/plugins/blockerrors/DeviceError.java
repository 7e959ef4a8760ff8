package io.qeventd.plugins.blockerrors;

import java.time.Instant;

/**
 * The last I/O error of one disk.
 *
 * @param device    the block backend's name, or its node name for a backend without one (-blockdev)
 * @param operation read or write
 * @param action    what QEMU did: ignore, report (to the guest) or stop (paused the guest)
 * @param noSpace   whether the error was ENOSPC: more space lets the request succeed when retried
 * @param reason    the error as QEMU words it
 * @param at        when (QEMU's clock)
 */
public record DeviceError(String device, String operation, String action, boolean noSpace, String reason,
                          Instant at) {
}
