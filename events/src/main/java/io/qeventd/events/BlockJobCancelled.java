package io.qeventd.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The data of QEMU's {@code BLOCK_JOB_CANCELLED} event (QEMU 7.2).
 *
 * @param type member {@code type}
 * @param device member {@code device}
 * @param len member {@code len}
 * @param offset member {@code offset}
 * @param speed member {@code speed}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BlockJobCancelled(
        @JsonProperty(value = "type", required = true) JobType type,
        @JsonProperty(value = "device", required = true) String device,
        @JsonProperty(value = "len", required = true) long len,
        @JsonProperty(value = "offset", required = true) long offset,
        @JsonProperty(value = "speed", required = true) long speed) {
    /** The QMP event name. */
    public static final String NAME = "BLOCK_JOB_CANCELLED";
}
