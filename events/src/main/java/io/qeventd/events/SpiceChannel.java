package io.qeventd.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The QAPI type {@code SpiceChannel} as QEMU 7.2 defines it.
 *
 * @param host member {@code host}
 * @param port member {@code port}
 * @param family member {@code family}
 * @param connectionId member {@code connection-id}
 * @param channelType member {@code channel-type}
 * @param channelId member {@code channel-id}
 * @param tls member {@code tls}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SpiceChannel(
        @JsonProperty(value = "host", required = true) String host,
        @JsonProperty(value = "port", required = true) String port,
        @JsonProperty(value = "family", required = true) NetworkAddressFamily family,
        @JsonProperty(value = "connection-id", required = true) long connectionId,
        @JsonProperty(value = "channel-type", required = true) long channelType,
        @JsonProperty(value = "channel-id", required = true) long channelId,
        @JsonProperty(value = "tls", required = true) boolean tls) {
}
