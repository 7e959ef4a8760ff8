package io.qeventd.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The data of QEMU's {@code BLOCK_IMAGE_CORRUPTED} event (QEMU 7.2).
 *
 * @param device member {@code device}
 * @param nodeName member {@code node-name}; optional, null when absent
 * @param msg member {@code msg}
 * @param offset member {@code offset}; optional, null when absent
 * @param size member {@code size}; optional, null when absent
 * @param fatal member {@code fatal}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BlockImageCorrupted(
        @JsonProperty(value = "device", required = true) String device,
        @JsonProperty(value = "node-name", required = false) String nodeName,
        @JsonProperty(value = "msg", required = true) String msg,
        @JsonProperty(value = "offset", required = false) Long offset,
        @JsonProperty(value = "size", required = false) Long size,
        @JsonProperty(value = "fatal", required = true) boolean fatal) {
    /** The QMP event name. */
    public static final String NAME = "BLOCK_IMAGE_CORRUPTED";
}
