package io.qeventd.api;

import java.util.Objects;

/**
 * A NIC of a domain as the configuration describes it.
 *
 * @param alias               the QEMU device id ({@code -device virtio-net-pci,id=ALIAS})
 * @param hostDevice          the host network device that backs it (e.g. a macvtap)
 * @param netns               the network namespace of the host device, or {@code null} for the daemon's own
 * @param trustGuestRxFilters whether the guest's RX filter may be mirrored onto the host device
 */
public record Nic(String alias, String hostDevice, String netns, boolean trustGuestRxFilters) {
    public Nic {
        Objects.requireNonNull(alias, "alias");
    }
}
