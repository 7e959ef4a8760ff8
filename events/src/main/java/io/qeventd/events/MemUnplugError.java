package io.qeventd.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The data of QEMU's {@code MEM_UNPLUG_ERROR} event (QEMU 7.2).
 *
 * @param device member {@code device}
 * @param msg member {@code msg}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record MemUnplugError(
        @JsonProperty(value = "device", required = true) String device,
        @JsonProperty(value = "msg", required = true) String msg) {
    /** The QMP event name. */
    public static final String NAME = "MEM_UNPLUG_ERROR";
}
