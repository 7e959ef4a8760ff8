package io.qeventd.plugins.guestsignals;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The data of WATCHDOG.
 *
 * @param action what QEMU did when the guest's watchdog expired: reset, shutdown, poweroff, pause, debug, none,
 *               inject-nmi (QEMU's names, kept as text so a newer QEMU's actions pass through)
 */
public record WatchdogAction(@JsonProperty("action") String action) {
}
