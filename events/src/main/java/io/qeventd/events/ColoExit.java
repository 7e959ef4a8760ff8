package io.qeventd.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The data of QEMU's {@code COLO_EXIT} event (QEMU 7.2).
 *
 * @param mode member {@code mode}
 * @param reason member {@code reason}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ColoExit(
        @JsonProperty(value = "mode", required = true) ColoMode mode,
        @JsonProperty(value = "reason", required = true) ColoExitReason reason) {
    /** The QMP event name. */
    public static final String NAME = "COLO_EXIT";
}
