package io.qeventd.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The data of QEMU's {@code QUORUM_FAILURE} event (QEMU 7.2).
 *
 * @param reference member {@code reference}
 * @param sectorNum member {@code sector-num}
 * @param sectorsCount member {@code sectors-count}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record QuorumFailure(
        @JsonProperty(value = "reference", required = true) String reference,
        @JsonProperty(value = "sector-num", required = true) long sectorNum,
        @JsonProperty(value = "sectors-count", required = true) long sectorsCount) {
    /** The QMP event name. */
    public static final String NAME = "QUORUM_FAILURE";
}
