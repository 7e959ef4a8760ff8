package io.qeventd.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The data of QEMU's {@code SPICE_CONNECTED} event (QEMU 7.2).
 *
 * @param server member {@code server}
 * @param client member {@code client}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SpiceConnected(
        @JsonProperty(value = "server", required = true) SpiceBasicInfo server,
        @JsonProperty(value = "client", required = true) SpiceBasicInfo client) {
    /** The QMP event name. */
    public static final String NAME = "SPICE_CONNECTED";
}
