package io.qeventd.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The QAPI enum {@code ColoExitReason} as QEMU 7.2 defines it. A value a newer QEMU adds decodes to
 * {@link #UNRECOGNIZED} instead of failing the event.
 */
public enum ColoExitReason implements QapiEnum {
    NONE("none"),
    REQUEST("request"),
    ERROR("error"),
    PROCESSING("processing"),
    /** A value this catalogue does not know (a newer QEMU's). */
    UNRECOGNIZED(null);

    private final String value;

    ColoExitReason(String value) {
        this.value = value;
    }

    @JsonValue
    @Override
    public String value() {
        return value;
    }

    /** The constant for a wire value; {@link #UNRECOGNIZED} for one this catalogue does not know. */
    @JsonCreator
    public static ColoExitReason of(String value) {
        return QapiEnum.of(values(), value, UNRECOGNIZED);
    }

    @Override
    public String toString() {
        return QapiEnum.toString(this);
    }
}
