package io.qeventd.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The data of QEMU's {@code NETDEV_STREAM_DISCONNECTED} event (QEMU 7.2).
 *
 * @param netdevId member {@code netdev-id}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record NetdevStreamDisconnected(
        @JsonProperty(value = "netdev-id", required = true) String netdevId) {
    /** The QMP event name. */
    public static final String NAME = "NETDEV_STREAM_DISCONNECTED";
}
