package io.qeventd.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The data of QEMU's {@code MIGRATION} event (QEMU 7.2).
 *
 * @param status member {@code status}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Migration(
        @JsonProperty(value = "status", required = true) MigrationStatus status) {
    /** The QMP event name. */
    public static final String NAME = "MIGRATION";
}
