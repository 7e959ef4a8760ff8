package io.qeventd.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The data of QEMU's {@code MEMORY_DEVICE_SIZE_CHANGE} event (QEMU 7.2).
 *
 * @param id member {@code id}; optional, null when absent
 * @param size member {@code size}
 * @param qomPath member {@code qom-path}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record MemoryDeviceSizeChange(
        @JsonProperty(value = "id", required = false) String id,
        @JsonProperty(value = "size", required = true) long size,
        @JsonProperty(value = "qom-path", required = true) String qomPath) {
    /** The QMP event name. */
    public static final String NAME = "MEMORY_DEVICE_SIZE_CHANGE";
}
