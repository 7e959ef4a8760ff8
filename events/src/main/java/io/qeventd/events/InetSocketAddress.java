package io.qeventd.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeName;

/**
 * The {@code inet} case of {@link SocketAddress}.
 *
 * @param host member {@code host}
 * @param port member {@code port}
 * @param numeric member {@code numeric}; optional, null when absent
 * @param to member {@code to}; optional, null when absent
 * @param ipv4 member {@code ipv4}; optional, null when absent
 * @param ipv6 member {@code ipv6}; optional, null when absent
 * @param keepAlive member {@code keep-alive}; optional, null when absent
 * @param mptcp member {@code mptcp}; optional, null when absent
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonTypeName("inet")
public record InetSocketAddress(
        @JsonProperty(value = "host", required = true) String host,
        @JsonProperty(value = "port", required = true) String port,
        @JsonProperty(value = "numeric", required = false) Boolean numeric,
        @JsonProperty(value = "to", required = false) Long to,
        @JsonProperty(value = "ipv4", required = false) Boolean ipv4,
        @JsonProperty(value = "ipv6", required = false) Boolean ipv6,
        @JsonProperty(value = "keep-alive", required = false) Boolean keepAlive,
        @JsonProperty(value = "mptcp", required = false) Boolean mptcp) implements SocketAddress {
    @Override
    public SocketAddressType type() {
        return SocketAddressType.INET;
    }
}
