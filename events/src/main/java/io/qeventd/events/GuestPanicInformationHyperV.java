package io.qeventd.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeName;

/**
 * The {@code hyper-v} case of {@link GuestPanicInformation}.
 *
 * @param arg1 member {@code arg1}
 * @param arg2 member {@code arg2}
 * @param arg3 member {@code arg3}
 * @param arg4 member {@code arg4}
 * @param arg5 member {@code arg5}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonTypeName("hyper-v")
public record GuestPanicInformationHyperV(
        @JsonProperty(value = "arg1", required = true) long arg1,
        @JsonProperty(value = "arg2", required = true) long arg2,
        @JsonProperty(value = "arg3", required = true) long arg3,
        @JsonProperty(value = "arg4", required = true) long arg4,
        @JsonProperty(value = "arg5", required = true) long arg5) implements GuestPanicInformation {
    @Override
    public GuestPanicInformationType type() {
        return GuestPanicInformationType.HYPER_V;
    }
}
