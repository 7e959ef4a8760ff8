package io.qeventd.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeName;

/**
 * The {@code s390} case of {@link GuestPanicInformation}.
 *
 * @param core member {@code core}
 * @param pswMask member {@code psw-mask}
 * @param pswAddr member {@code psw-addr}
 * @param reason member {@code reason}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonTypeName("s390")
public record GuestPanicInformationS390(
        @JsonProperty(value = "core", required = true) long core,
        @JsonProperty(value = "psw-mask", required = true) long pswMask,
        @JsonProperty(value = "psw-addr", required = true) long pswAddr,
        @JsonProperty(value = "reason", required = true) S390CrashReason reason) implements GuestPanicInformation {
    @Override
    public GuestPanicInformationType type() {
        return GuestPanicInformationType.S390;
    }
}
