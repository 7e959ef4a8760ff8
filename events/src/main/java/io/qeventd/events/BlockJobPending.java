package io.qeventd.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The data of QEMU's {@code BLOCK_JOB_PENDING} event (QEMU 7.2).
 *
 * @param type member {@code type}
 * @param id member {@code id}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BlockJobPending(
        @JsonProperty(value = "type", required = true) JobType type,
        @JsonProperty(value = "id", required = true) String id) {
    /** The QMP event name. */
    public static final String NAME = "BLOCK_JOB_PENDING";
}
