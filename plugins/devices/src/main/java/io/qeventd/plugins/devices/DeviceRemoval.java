package io.qeventd.plugins.devices;

import io.qeventd.api.ProcessContext;
import io.qeventd.api.state.StateKey;
import io.qeventd.events.DeviceDeleted;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * "Delete this device and tell me when QEMU confirms", for other plugins. The devices plugin offers it as the
 * service {@link #KEY}; a plugin that uses it declares {@code Plugin-Dependencies: devices} (so that both see
 * this interface from the same class loader), compiles against this jar in {@code provided} scope and looks
 * it up with {@code sharedState.service(DeviceRemoval.KEY)}.
 *
 * <p>The future completes when the devices plugin processes QEMU's DEVICE_DELETED for the device, and fails
 * with {@link DeviceUnplugException} on DEVICE_UNPLUG_GUEST_ERROR (the guest refused), with
 * {@link DeviceRemovalTimeoutException} when neither came in time, or with the QMP error of
 * {@code device_del} (e.g. {@code DeviceNotFound}). Events of one domain are processed in order, after the
 * processor that asked: a processor must therefore not block on the future of its own domain's device;
 * chain what follows ({@code thenAccept}), which then runs on the devices plugin's worker for that domain.
 */
public interface DeviceRemoval {
    StateKey<DeviceRemoval> KEY = StateKey.of("devices.removal", DeviceRemoval.class);

    /** Sends {@code device_del} for {@code id} on {@code ctx}'s domain; waits at most {@code timeout}. */
    CompletableFuture<DeviceDeleted> delete(ProcessContext ctx, String id, Duration timeout);

    /** As {@link #delete(ProcessContext, String, Duration)} with the plugin's {@code removalTimeout}. */
    CompletableFuture<DeviceDeleted> delete(ProcessContext ctx, String id);
}
