package io.qeventd.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * The QAPI union {@code GuestPanicInformation} as QEMU 7.2 defines it, told apart by its {@code type} member. A case a
 * newer QEMU adds decodes to {@link Unrecognized}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type",
        defaultImpl = GuestPanicInformation.Unrecognized.class)
@JsonSubTypes({
    @JsonSubTypes.Type(value = GuestPanicInformationHyperV.class, name = "hyper-v"),
    @JsonSubTypes.Type(value = GuestPanicInformationS390.class, name = "s390")
})
public sealed interface GuestPanicInformation permits GuestPanicInformationHyperV, GuestPanicInformationS390, GuestPanicInformation.Unrecognized {
    /** The {@code type} member. */
    GuestPanicInformationType type();

    /** A case this catalogue does not know; its members are not kept. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Unrecognized() implements GuestPanicInformation {
        @Override
        public GuestPanicInformationType type() {
            return GuestPanicInformationType.UNRECOGNIZED;
        }
    }
}
