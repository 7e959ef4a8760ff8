package io.qeventd.testkit.vm;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A virtio-net-pci NIC for {@link Qemu}: {@code -device virtio-net-pci,id=ID,netdev=ID-backend[,mac=MAC]}.
 *
 * @param id        the QEMU device id, which QMP events name (e.g. NIC_RX_FILTER_CHANGED's {@code name})
 * @param tapDevice {@code null} for a user-mode backend ({@code -netdev user}); otherwise a tap character
 *                  device (e.g. a macvtap's) that is opened for QEMU and passed as {@code -netdev tap,fd=N}
 * @param mac       the guest MAC, or {@code null} for QEMU's default
 */
public record QemuNic(String id, Path tapDevice, String mac) {
    public QemuNic {
        Objects.requireNonNull(id, "id");
    }

    /** A NIC on QEMU's user-mode network. */
    public static QemuNic user(String id) {
        return new QemuNic(id, null, null);
    }

    /** A NIC whose backend is the tap character device {@code tapDevice}, e.g. {@link NetnsFixture#tapDevice()}. */
    public static QemuNic tap(String id, Path tapDevice) {
        return new QemuNic(id, Objects.requireNonNull(tapDevice, "tapDevice"), null);
    }

    /** This NIC with guest MAC {@code mac} ({@code aa:bb:cc:dd:ee:ff}). */
    public QemuNic withMac(String mac) {
        return new QemuNic(id, tapDevice, mac);
    }

    String backendId() {
        return id + "-backend";
    }
}
