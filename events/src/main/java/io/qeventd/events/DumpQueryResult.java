package io.qeventd.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The QAPI type {@code DumpQueryResult} as QEMU 7.2 defines it.
 *
 * @param status member {@code status}
 * @param completed member {@code completed}
 * @param total member {@code total}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DumpQueryResult(
        @JsonProperty(value = "status", required = true) DumpStatus status,
        @JsonProperty(value = "completed", required = true) long completed,
        @JsonProperty(value = "total", required = true) long total) {
}
