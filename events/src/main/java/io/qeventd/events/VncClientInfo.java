package io.qeventd.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The QAPI type {@code VncClientInfo} as QEMU 7.2 defines it.
 *
 * @param host member {@code host}
 * @param service member {@code service}
 * @param family member {@code family}
 * @param websocket member {@code websocket}
 * @param x509Dname member {@code x509_dname}; optional, null when absent
 * @param saslUsername member {@code sasl_username}; optional, null when absent
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record VncClientInfo(
        @JsonProperty(value = "host", required = true) String host,
        @JsonProperty(value = "service", required = true) String service,
        @JsonProperty(value = "family", required = true) NetworkAddressFamily family,
        @JsonProperty(value = "websocket", required = true) boolean websocket,
        @JsonProperty(value = "x509_dname", required = false) String x509Dname,
        @JsonProperty(value = "sasl_username", required = false) String saslUsername) {
}
