package io.qeventd.plugins.guestsignals;

import io.qeventd.api.state.StatusFields;
import io.qeventd.events.MemoryFailure;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What one domain's guest has signalled, as QEMU reports it now. {@code null} fields: never reported.
 *
 * @param balloonBytes      the guest's memory after ballooning ({@code query-balloon}), bytes
 * @param watchdogAction    what QEMU did when the watchdog last expired
 * @param watchdogAt        when (QEMU's clock)
 * @param rtcOffset         seconds between the guest's RTC and real time, the configured base offset included
 * @param serialPorts       virtio-serial ports by device id
 * @param memoryDevices     plugged size of each virtio-mem device by id (or QOM path), bytes
 * @param memoryFailure     the last memory failure QEMU reported
 * @param memoryFailureAt   when (QEMU's clock)
 */
public record GuestSignals(Long balloonBytes, String watchdogAction, Instant watchdogAt, Long rtcOffset,
                           Map<String, SerialPort> serialPorts, Map<String, Long> memoryDevices,
                           MemoryFailure memoryFailure, Instant memoryFailureAt) implements StatusFields {
    static final GuestSignals NONE = new GuestSignals(null, null, null, null, Map.of(), Map.of(), null, null);

    public GuestSignals {
        serialPorts = Map.copyOf(serialPorts);
        memoryDevices = Map.copyOf(memoryDevices);
    }

    /** Whether the guest agent's port is open: {@code null} when the domain has no such port known. */
    public Boolean guestAgentConnected() {
        return serialPorts.values().stream().filter(SerialPort::isGuestAgent).findFirst().map(SerialPort::open)
                .orElse(null);
    }

    @Override
    public Map<String, Object> statusFields() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("balloon MiB", balloonBytes == null ? null : balloonBytes / (1024 * 1024));
        fields.put("watchdog", watchdogAction);
        fields.put("rtc offset s", rtcOffset);
        fields.put("guest agent", guestAgentConnected() == null ? null
                : guestAgentConnected() ? "connected" : "disconnected");
        fields.put("virtio-mem MiB", memoryDevices.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue() / (1024 * 1024)).collect(Collectors.joining(" ")));
        fields.put("memory failure", memoryFailure == null ? null
                : memoryFailure.recipient() + "/" + memoryFailure.action());
        return fields;
    }

    GuestSignals withBalloon(long bytes) {
        return new GuestSignals(bytes, watchdogAction, watchdogAt, rtcOffset, serialPorts, memoryDevices, memoryFailure,
                memoryFailureAt);
    }

    GuestSignals withWatchdog(String action, Instant at) {
        return new GuestSignals(balloonBytes, action, at, rtcOffset, serialPorts, memoryDevices, memoryFailure,
                memoryFailureAt);
    }

    GuestSignals withRtcOffset(long offset) {
        return new GuestSignals(balloonBytes, watchdogAction, watchdogAt, offset, serialPorts, memoryDevices,
                memoryFailure, memoryFailureAt);
    }

    GuestSignals withSerialPort(SerialPort port) {
        Map<String, SerialPort> ports = new LinkedHashMap<>(serialPorts);
        ports.put(port.id(), port);
        return new GuestSignals(balloonBytes, watchdogAction, watchdogAt, rtcOffset, ports, memoryDevices,
                memoryFailure, memoryFailureAt);
    }

    GuestSignals withMemoryDevice(String id, long size) {
        Map<String, Long> devices = new LinkedHashMap<>(memoryDevices);
        devices.put(id, size);
        return new GuestSignals(balloonBytes, watchdogAction, watchdogAt, rtcOffset, serialPorts, devices,
                memoryFailure, memoryFailureAt);
    }

    GuestSignals withMemoryFailure(MemoryFailure failure, Instant at) {
        return new GuestSignals(balloonBytes, watchdogAction, watchdogAt, rtcOffset, serialPorts, memoryDevices,
                failure, at);
    }
}
