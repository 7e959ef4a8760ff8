package io.qeventd.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The data of QEMU's {@code MIGRATION_PASS} event (QEMU 7.2).
 *
 * @param pass member {@code pass}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record MigrationPass(
        @JsonProperty(value = "pass", required = true) long pass) {
    /** The QMP event name. */
    public static final String NAME = "MIGRATION_PASS";
}
