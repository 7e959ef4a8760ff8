package io.qeventd.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The data of QEMU's {@code SPICE_INITIALIZED} event (QEMU 7.2).
 *
 * @param server member {@code server}
 * @param client member {@code client}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SpiceInitialized(
        @JsonProperty(value = "server", required = true) SpiceServerInfo server,
        @JsonProperty(value = "client", required = true) SpiceChannel client) {
    /** The QMP event name. */
    public static final String NAME = "SPICE_INITIALIZED";
}
