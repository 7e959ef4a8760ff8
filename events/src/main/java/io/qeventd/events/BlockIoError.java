package io.qeventd.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The data of QEMU's {@code BLOCK_IO_ERROR} event (QEMU 7.2).
 *
 * @param device member {@code device}
 * @param nodeName member {@code node-name}; optional, null when absent
 * @param operation member {@code operation}
 * @param action member {@code action}
 * @param nospace member {@code nospace}; optional, null when absent
 * @param reason member {@code reason}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BlockIoError(
        @JsonProperty(value = "device", required = true) String device,
        @JsonProperty(value = "node-name", required = false) String nodeName,
        @JsonProperty(value = "operation", required = true) IoOperationType operation,
        @JsonProperty(value = "action", required = true) BlockErrorAction action,
        @JsonProperty(value = "nospace", required = false) Boolean nospace,
        @JsonProperty(value = "reason", required = true) String reason) {
    /** The QMP event name. */
    public static final String NAME = "BLOCK_IO_ERROR";
}
