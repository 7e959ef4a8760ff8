package io.qeventd.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The data of QEMU's {@code NETDEV_STREAM_CONNECTED} event (QEMU 7.2).
 *
 * @param netdevId member {@code netdev-id}
 * @param addr member {@code addr}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record NetdevStreamConnected(
        @JsonProperty(value = "netdev-id", required = true) String netdevId,
        @JsonProperty(value = "addr", required = true) SocketAddress addr) {
    /** The QMP event name. */
    public static final String NAME = "NETDEV_STREAM_CONNECTED";
}
