package io.qeventd.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The data of QEMU's {@code GUEST_CRASHLOADED} event (QEMU 7.2).
 *
 * @param action member {@code action}
 * @param info member {@code info}; optional, null when absent
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record GuestCrashloaded(
        @JsonProperty(value = "action", required = true) GuestPanicAction action,
        @JsonProperty(value = "info", required = false) GuestPanicInformation info) {
    /** The QMP event name. */
    public static final String NAME = "GUEST_CRASHLOADED";
}
