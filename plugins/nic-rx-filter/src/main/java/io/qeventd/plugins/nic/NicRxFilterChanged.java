package io.qeventd.plugins.nic;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The data of NIC_RX_FILTER_CHANGED.
 *
 * @param name the NIC's device id (its alias), absent when QEMU knows the NIC only by its path
 * @param path the QOM path of the NIC's virtio backend, e.g. {@code /machine/peripheral/net0/virtio-backend}
 */
public record NicRxFilterChanged(@JsonProperty("name") String name, @JsonProperty("path") String path) {
}
