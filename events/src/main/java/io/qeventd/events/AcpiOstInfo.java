package io.qeventd.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The QAPI type {@code AcpiOstInfo} as QEMU 7.2 defines it.
 *
 * @param device member {@code device}; optional, null when absent
 * @param slot member {@code slot}
 * @param slotType member {@code slot-type}
 * @param source member {@code source}
 * @param status member {@code status}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AcpiOstInfo(
        @JsonProperty(value = "device", required = false) String device,
        @JsonProperty(value = "slot", required = true) String slot,
        @JsonProperty(value = "slot-type", required = true) AcpiSlotType slotType,
        @JsonProperty(value = "source", required = true) long source,
        @JsonProperty(value = "status", required = true) long status) {
}
