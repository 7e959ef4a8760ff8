package io.qeventd.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * The QAPI union {@code SocketAddress} as QEMU 7.2 defines it, told apart by its {@code type} member. A case a
 * newer QEMU adds decodes to {@link Unrecognized}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type",
        defaultImpl = SocketAddress.Unrecognized.class)
@JsonSubTypes({
    @JsonSubTypes.Type(value = InetSocketAddress.class, name = "inet"),
    @JsonSubTypes.Type(value = UnixSocketAddress.class, name = "unix"),
    @JsonSubTypes.Type(value = VsockSocketAddress.class, name = "vsock"),
    @JsonSubTypes.Type(value = FdSocketAddress.class, name = "fd")
})
public sealed interface SocketAddress permits InetSocketAddress, UnixSocketAddress, VsockSocketAddress, FdSocketAddress, SocketAddress.Unrecognized {
    /** The {@code type} member. */
    SocketAddressType type();

    /** A case this catalogue does not know; its members are not kept. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Unrecognized() implements SocketAddress {
        @Override
        public SocketAddressType type() {
            return SocketAddressType.UNRECOGNIZED;
        }
    }
}
