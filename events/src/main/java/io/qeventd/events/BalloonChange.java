package io.qeventd.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The data of QEMU's {@code BALLOON_CHANGE} event (QEMU 7.2).
 *
 * @param actual member {@code actual}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BalloonChange(
        @JsonProperty(value = "actual", required = true) long actual) {
    /** The QMP event name. */
    public static final String NAME = "BALLOON_CHANGE";
}
