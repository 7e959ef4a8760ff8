package io.qeventd.plugins.guestsignals;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The data of RTC_CHANGE.
 *
 * @param offset  seconds between the RTC the guest set and the base QEMU was started with ({@code -rtc base=})
 * @param qomPath the RTC device
 */
public record RtcChange(@JsonProperty("offset") long offset, @JsonProperty("qom-path") String qomPath) {
}
