package io.qeventd.runtime.admin;

import java.util.Objects;

/**
 * One domain as {@code qeventd status} shows it.
 *
 * @param name       the domain's name
 * @param connected  whether its QMP monitor is connected and negotiated
 * @param monitor    the monitor's state: connecting, greeting, negotiating, running, waiting-to-reconnect, closed
 * @param runState   the VM's run state as QEMU names it (running, paused, shutdown, suspended, ...), or
 *                   {@code unknown} before the first query-status answer or run-state event
 * @param queueDepth events waiting for a worker
 * @param events     events read from its monitor since it was attached
 */
public record DomainStatus(String name, boolean connected, String monitor, String runState, int queueDepth,
                           long events) {
    public DomainStatus {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(monitor, "monitor");
        Objects.requireNonNull(runState, "runState");
    }
}
