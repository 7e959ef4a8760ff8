package io.qeventd.api;

import java.time.Instant;

/**
 * One QMP event on its way to a processor: the process event of libvirt's pipeline.
 *
 * @param domain    the name of the domain whose monitor sent it
 * @param name      the QMP event name, e.g. {@code NIC_RX_FILTER_CHANGED}
 * @param type      the handler's event-type constant
 * @param payload   the event's {@code data}, decoded to the handler's payload type
 * @param timestamp the time QEMU stamped on it
 * @param received  when the daemon read it off the monitor
 */
public record Event<P>(String domain, String name, EventType type, P payload, QemuTimestamp timestamp,
                       Instant received) {
}
