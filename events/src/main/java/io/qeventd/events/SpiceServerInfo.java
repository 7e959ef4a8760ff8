package io.qeventd.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The QAPI type {@code SpiceServerInfo} as QEMU 7.2 defines it.
 *
 * @param host member {@code host}
 * @param port member {@code port}
 * @param family member {@code family}
 * @param auth member {@code auth}; optional, null when absent
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SpiceServerInfo(
        @JsonProperty(value = "host", required = true) String host,
        @JsonProperty(value = "port", required = true) String port,
        @JsonProperty(value = "family", required = true) NetworkAddressFamily family,
        @JsonProperty(value = "auth", required = false) String auth) {
}
