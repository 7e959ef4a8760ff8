package io.qeventd.plugins.guestsignals;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The data of VSERPORT_CHANGE: the virtio-serial port device {@code id} is now open in the guest, or closed. */
public record SerialPortChange(@JsonProperty("id") String id, @JsonProperty("open") boolean open) {
}
