package io.qeventd.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The data of QEMU's {@code DEVICE_TRAY_MOVED} event (QEMU 7.2).
 *
 * @param device member {@code device}
 * @param id member {@code id}
 * @param trayOpen member {@code tray-open}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DeviceTrayMoved(
        @JsonProperty(value = "device", required = true) String device,
        @JsonProperty(value = "id", required = true) String id,
        @JsonProperty(value = "tray-open", required = true) boolean trayOpen) {
    /** The QMP event name. */
    public static final String NAME = "DEVICE_TRAY_MOVED";
}
