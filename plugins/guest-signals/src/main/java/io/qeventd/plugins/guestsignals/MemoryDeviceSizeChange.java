package io.qeventd.plugins.guestsignals;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The data of MEMORY_DEVICE_SIZE_CHANGE.
 *
 * @param id      the device id, absent for a device added without one
 * @param size    the memory the guest has plugged, bytes
 * @param qomPath the device
 */
public record MemoryDeviceSizeChange(@JsonProperty("id") String id, @JsonProperty("size") long size,
                                     @JsonProperty("qom-path") String qomPath) {
}
