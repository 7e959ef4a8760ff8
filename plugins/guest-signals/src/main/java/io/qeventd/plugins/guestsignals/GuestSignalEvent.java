package io.qeventd.plugins.guestsignals;

import io.qeventd.api.EventType;

/** The process events this plugin queues. */
public enum GuestSignalEvent implements EventType {
    /** BALLOON_CHANGE: the guest's balloon driver gave memory back or took it. */
    BALLOON_CHANGED,
    /** WATCHDOG: the guest's watchdog device expired; QEMU took its configured action. */
    WATCHDOG_FIRED,
    /** RTC_CHANGE: the guest set its real-time clock. */
    RTC_CHANGED,
    /** VSERPORT_CHANGE: a program in the guest opened or closed a virtio-serial port. */
    SERIAL_PORT_CHANGED,
    /** MEMORY_DEVICE_SIZE_CHANGE: the guest (un)plugged memory of a virtio-mem device. */
    MEMORY_DEVICE_RESIZED,
    /** MEMORY_FAILURE: the host reported poisoned memory and QEMU handled it. */
    MEMORY_FAILURE
}
