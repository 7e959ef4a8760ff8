package io.qeventd.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeName;

/**
 * The {@code fd} case of {@link SocketAddress}.
 *
 * @param str member {@code str}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonTypeName("fd")
public record FdSocketAddress(
        @JsonProperty(value = "str", required = true) String str) implements SocketAddress {
    @Override
    public SocketAddressType type() {
        return SocketAddressType.FD;
    }
}
