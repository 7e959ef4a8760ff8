package io.qeventd.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The QAPI type {@code SpiceBasicInfo} as QEMU 7.2 defines it.
 *
 * @param host member {@code host}
 * @param port member {@code port}
 * @param family member {@code family}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SpiceBasicInfo(
        @JsonProperty(value = "host", required = true) String host,
        @JsonProperty(value = "port", required = true) String port,
        @JsonProperty(value = "family", required = true) NetworkAddressFamily family) {
}
