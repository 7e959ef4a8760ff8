package io.qeventd.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The data of QEMU's {@code MEMORY_FAILURE} event (QEMU 7.2).
 *
 * @param recipient member {@code recipient}
 * @param action member {@code action}
 * @param flags member {@code flags}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record MemoryFailure(
        @JsonProperty(value = "recipient", required = true) MemoryFailureRecipient recipient,
        @JsonProperty(value = "action", required = true) MemoryFailureAction action,
        @JsonProperty(value = "flags", required = true) MemoryFailureFlags flags) {
    /** The QMP event name. */
    public static final String NAME = "MEMORY_FAILURE";
}
