package io.qeventd.plugins.nic;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How a NIC filters one class of frames, as query-rx-filter reports it (QAPI RxState). */
public enum RxMode {
    /** Filtered by the table the guest set. */
    @JsonProperty("normal") NORMAL,
    /** None received. */
    @JsonProperty("none") NONE,
    /** All received. */
    @JsonProperty("all") ALL
}
