package io.qeventd.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The data of QEMU's {@code BLOCK_EXPORT_DELETED} event (QEMU 7.2).
 *
 * @param id member {@code id}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BlockExportDeleted(
        @JsonProperty(value = "id", required = true) String id) {
    /** The QMP event name. */
    public static final String NAME = "BLOCK_EXPORT_DELETED";
}
