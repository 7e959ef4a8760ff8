package io.qeventd.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The QAPI type {@code VncBasicInfo} as QEMU 7.2 defines it.
 *
 * @param host member {@code host}
 * @param service member {@code service}
 * @param family member {@code family}
 * @param websocket member {@code websocket}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record VncBasicInfo(
        @JsonProperty(value = "host", required = true) String host,
        @JsonProperty(value = "service", required = true) String service,
        @JsonProperty(value = "family", required = true) NetworkAddressFamily family,
        @JsonProperty(value = "websocket", required = true) boolean websocket) {
}
