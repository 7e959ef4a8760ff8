package io.qeventd.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The data of QEMU's {@code QUORUM_REPORT_BAD} event (QEMU 7.2).
 *
 * @param type member {@code type}
 * @param error member {@code error}; optional, null when absent
 * @param nodeName member {@code node-name}
 * @param sectorNum member {@code sector-num}
 * @param sectorsCount member {@code sectors-count}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record QuorumReportBad(
        @JsonProperty(value = "type", required = true) QuorumOpType type,
        @JsonProperty(value = "error", required = false) String error,
        @JsonProperty(value = "node-name", required = true) String nodeName,
        @JsonProperty(value = "sector-num", required = true) long sectorNum,
        @JsonProperty(value = "sectors-count", required = true) long sectorsCount) {
    /** The QMP event name. */
    public static final String NAME = "QUORUM_REPORT_BAD";
}
