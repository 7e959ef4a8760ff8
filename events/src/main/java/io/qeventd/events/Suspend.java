package io.qeventd.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * QEMU's {@code SUSPEND} event (QEMU 7.2); it carries no data.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Suspend() {
    /** The QMP event name. */
    public static final String NAME = "SUSPEND";
}
