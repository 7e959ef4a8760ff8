package io.qeventd.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The QAPI enum {@code GuestPanicInformationType} as QEMU 7.2 defines it. A value a newer QEMU adds decodes to
 * {@link #UNRECOGNIZED} instead of failing the event.
 */
public enum GuestPanicInformationType implements QapiEnum {
    HYPER_V("hyper-v"),
    S390("s390"),
    /** A value this catalogue does not know (a newer QEMU's). */
    UNRECOGNIZED(null);

    private final String value;

    GuestPanicInformationType(String value) {
        this.value = value;
    }

    @JsonValue
    @Override
    public String value() {
        return value;
    }

    /** The constant for a wire value; {@link #UNRECOGNIZED} for one this catalogue does not know. */
    @JsonCreator
    public static GuestPanicInformationType of(String value) {
        return QapiEnum.of(values(), value, UNRECOGNIZED);
    }

    @Override
    public String toString() {
        return QapiEnum.toString(this);
    }
}
