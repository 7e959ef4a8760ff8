package io.qeventd.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeName;

/**
 * The {@code vsock} case of {@link SocketAddress}.
 *
 * @param cid member {@code cid}
 * @param port member {@code port}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonTypeName("vsock")
public record VsockSocketAddress(
        @JsonProperty(value = "cid", required = true) String cid,
        @JsonProperty(value = "port", required = true) String port) implements SocketAddress {
    @Override
    public SocketAddressType type() {
        return SocketAddressType.VSOCK;
    }
}
