package io.qeventd.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The data of QEMU's {@code PR_MANAGER_STATUS_CHANGED} event (QEMU 7.2).
 *
 * @param id member {@code id}
 * @param connected member {@code connected}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PrManagerStatusChanged(
        @JsonProperty(value = "id", required = true) String id,
        @JsonProperty(value = "connected", required = true) boolean connected) {
    /** The QMP event name. */
    public static final String NAME = "PR_MANAGER_STATUS_CHANGED";
}
