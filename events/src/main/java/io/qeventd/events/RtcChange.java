package io.qeventd.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The data of QEMU's {@code RTC_CHANGE} event (QEMU 7.2).
 *
 * @param offset member {@code offset}
 * @param qomPath member {@code qom-path}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RtcChange(
        @JsonProperty(value = "offset", required = true) long offset,
        @JsonProperty(value = "qom-path", required = true) String qomPath) {
    /** The QMP event name. */
    public static final String NAME = "RTC_CHANGE";
}
