package io.qeventd.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The data of QEMU's {@code VSERPORT_CHANGE} event (QEMU 7.2).
 *
 * @param id member {@code id}
 * @param open member {@code open}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record VserportChange(
        @JsonProperty(value = "id", required = true) String id,
        @JsonProperty(value = "open", required = true) boolean open) {
    /** The QMP event name. */
    public static final String NAME = "VSERPORT_CHANGE";
}
