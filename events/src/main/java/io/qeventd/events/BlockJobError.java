package io.qeventd.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The data of QEMU's {@code BLOCK_JOB_ERROR} event (QEMU 7.2).
 *
 * @param device member {@code device}
 * @param operation member {@code operation}
 * @param action member {@code action}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BlockJobError(
        @JsonProperty(value = "device", required = true) String device,
        @JsonProperty(value = "operation", required = true) IoOperationType operation,
        @JsonProperty(value = "action", required = true) BlockErrorAction action) {
    /** The QMP event name. */
    public static final String NAME = "BLOCK_JOB_ERROR";
}
