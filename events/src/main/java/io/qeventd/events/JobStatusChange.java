package io.qeventd.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The data of QEMU's {@code JOB_STATUS_CHANGE} event (QEMU 7.2).
 *
 * @param id member {@code id}
 * @param status member {@code status}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record JobStatusChange(
        @JsonProperty(value = "id", required = true) String id,
        @JsonProperty(value = "status", required = true) JobStatus status) {
    /** The QMP event name. */
    public static final String NAME = "JOB_STATUS_CHANGE";
}
