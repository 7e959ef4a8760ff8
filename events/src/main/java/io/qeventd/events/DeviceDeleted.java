package io.qeventd.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The data of QEMU's {@code DEVICE_DELETED} event (QEMU 7.2).
 *
 * @param device member {@code device}; optional, null when absent
 * @param path member {@code path}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DeviceDeleted(
        @JsonProperty(value = "device", required = false) String device,
        @JsonProperty(value = "path", required = true) String path) {
    /** The QMP event name. */
    public static final String NAME = "DEVICE_DELETED";
}
