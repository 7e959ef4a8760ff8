package io.qeventd.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The data of QEMU's {@code ACPI_DEVICE_OST} event (QEMU 7.2).
 *
 * @param info member {@code info}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AcpiDeviceOst(
        @JsonProperty(value = "info", required = true) AcpiOstInfo info) {
    /** The QMP event name. */
    public static final String NAME = "ACPI_DEVICE_OST";
}
