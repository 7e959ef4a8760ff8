package io.qeventd.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The data of QEMU's {@code BLOCK_WRITE_THRESHOLD} event (QEMU 7.2).
 *
 * @param nodeName member {@code node-name}
 * @param amountExceeded member {@code amount-exceeded}
 * @param writeThreshold member {@code write-threshold}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BlockWriteThreshold(
        @JsonProperty(value = "node-name", required = true) String nodeName,
        @JsonProperty(value = "amount-exceeded", required = true) long amountExceeded,
        @JsonProperty(value = "write-threshold", required = true) long writeThreshold) {
    /** The QMP event name. */
    public static final String NAME = "BLOCK_WRITE_THRESHOLD";
}
