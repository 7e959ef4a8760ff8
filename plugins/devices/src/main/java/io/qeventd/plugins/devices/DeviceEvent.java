package io.qeventd.plugins.devices;

import io.qeventd.api.EventType;

/** The process events this plugin queues; the journal's {@code type}. */
public enum DeviceEvent implements EventType {
    DELETED, UNPLUG_GUEST_ERROR, TRAY_MOVED, ACPI_OST
}
