package io.qeventd.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The data of QEMU's {@code VFU_CLIENT_HANGUP} event (QEMU 7.2).
 *
 * @param vfuId member {@code vfu-id}
 * @param vfuQomPath member {@code vfu-qom-path}
 * @param devId member {@code dev-id}
 * @param devQomPath member {@code dev-qom-path}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record VfuClientHangup(
        @JsonProperty(value = "vfu-id", required = true) String vfuId,
        @JsonProperty(value = "vfu-qom-path", required = true) String vfuQomPath,
        @JsonProperty(value = "dev-id", required = true) String devId,
        @JsonProperty(value = "dev-qom-path", required = true) String devQomPath) {
    /** The QMP event name. */
    public static final String NAME = "VFU_CLIENT_HANGUP";
}
