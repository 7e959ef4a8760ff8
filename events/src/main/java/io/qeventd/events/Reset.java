package io.qeventd.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The data of QEMU's {@code RESET} event (QEMU 7.2).
 *
 * @param guest member {@code guest}
 * @param reason member {@code reason}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Reset(
        @JsonProperty(value = "guest", required = true) boolean guest,
        @JsonProperty(value = "reason", required = true) ShutdownCause reason) {
    /** The QMP event name. */
    public static final String NAME = "RESET";
}
