package io.qeventd.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The data of QEMU's {@code WATCHDOG} event (QEMU 7.2).
 *
 * @param action member {@code action}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Watchdog(
        @JsonProperty(value = "action", required = true) WatchdogAction action) {
    /** The QMP event name. */
    public static final String NAME = "WATCHDOG";
}
