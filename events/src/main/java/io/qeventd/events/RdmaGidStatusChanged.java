package io.qeventd.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The data of QEMU's {@code RDMA_GID_STATUS_CHANGED} event (QEMU 7.2).
 *
 * @param netdev member {@code netdev}
 * @param gidStatus member {@code gid-status}
 * @param subnetPrefix member {@code subnet-prefix}
 * @param interfaceId member {@code interface-id}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RdmaGidStatusChanged(
        @JsonProperty(value = "netdev", required = true) String netdev,
        @JsonProperty(value = "gid-status", required = true) boolean gidStatus,
        @JsonProperty(value = "subnet-prefix", required = true) long subnetPrefix,
        @JsonProperty(value = "interface-id", required = true) long interfaceId) {
    /** The QMP event name. */
    public static final String NAME = "RDMA_GID_STATUS_CHANGED";
}
