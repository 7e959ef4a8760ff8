package io.qeventd.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The QAPI type {@code MemoryFailureFlags} as QEMU 7.2 defines it.
 *
 * @param actionRequired member {@code action-required}
 * @param recursive member {@code recursive}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record MemoryFailureFlags(
        @JsonProperty(value = "action-required", required = true) boolean actionRequired,
        @JsonProperty(value = "recursive", required = true) boolean recursive) {
}
