package io.qeventd.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeName;

/**
 * The {@code unix} case of {@link SocketAddress}.
 *
 * @param path member {@code path}
 * @param isAbstract member {@code abstract}; optional, null when absent
 * @param tight member {@code tight}; optional, null when absent
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonTypeName("unix")
public record UnixSocketAddress(
        @JsonProperty(value = "path", required = true) String path,
        @JsonProperty(value = "abstract", required = false) Boolean isAbstract,
        @JsonProperty(value = "tight", required = false) Boolean tight) implements SocketAddress {
    @Override
    public SocketAddressType type() {
        return SocketAddressType.UNIX;
    }
}
