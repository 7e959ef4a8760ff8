package io.qeventd.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The data of QEMU's {@code DUMP_COMPLETED} event (QEMU 7.2).
 *
 * @param result member {@code result}
 * @param error member {@code error}; optional, null when absent
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DumpCompleted(
        @JsonProperty(value = "result", required = true) DumpQueryResult result,
        @JsonProperty(value = "error", required = false) String error) {
    /** The QMP event name. */
    public static final String NAME = "DUMP_COMPLETED";
}
