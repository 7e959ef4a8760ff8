package io.qeventd.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The data of QEMU's {@code FAILOVER_NEGOTIATED} event (QEMU 7.2).
 *
 * @param deviceId member {@code device-id}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record FailoverNegotiated(
        @JsonProperty(value = "device-id", required = true) String deviceId) {
    /** The QMP event name. */
    public static final String NAME = "FAILOVER_NEGOTIATED";
}
