package io.qeventd.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The data of QEMU's {@code NIC_RX_FILTER_CHANGED} event (QEMU 7.2).
 *
 * @param name member {@code name}; optional, null when absent
 * @param path member {@code path}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record NicRxFilterChanged(
        @JsonProperty(value = "name", required = false) String name,
        @JsonProperty(value = "path", required = true) String path) {
    /** The QMP event name. */
    public static final String NAME = "NIC_RX_FILTER_CHANGED";
}
