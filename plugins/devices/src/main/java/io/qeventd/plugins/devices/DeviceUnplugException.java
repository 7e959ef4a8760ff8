package io.qeventd.plugins.devices;

/** The guest refused to release a device (QEMU's DEVICE_UNPLUG_GUEST_ERROR). */
public final class DeviceUnplugException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DeviceUnplugException(String message) {
        super(message);
    }
}
