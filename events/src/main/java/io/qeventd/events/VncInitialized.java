package io.qeventd.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The data of QEMU's {@code VNC_INITIALIZED} event (QEMU 7.2).
 *
 * @param server member {@code server}
 * @param client member {@code client}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record VncInitialized(
        @JsonProperty(value = "server", required = true) VncServerInfo server,
        @JsonProperty(value = "client", required = true) VncClientInfo client) {
    /** The QMP event name. */
    public static final String NAME = "VNC_INITIALIZED";
}
