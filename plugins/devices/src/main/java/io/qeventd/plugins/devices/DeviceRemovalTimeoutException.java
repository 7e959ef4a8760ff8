package io.qeventd.plugins.devices;

/** QEMU confirmed neither the removal nor a refusal in time: the guest may still release the device later. */
public final class DeviceRemovalTimeoutException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DeviceRemovalTimeoutException(String message) {
        super(message);
    }
}
