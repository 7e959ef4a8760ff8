package io.qeventd.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The QAPI enum {@code MigrationStatus} as QEMU 7.2 defines it. A value a newer QEMU adds decodes to
 * {@link #UNRECOGNIZED} instead of failing the event.
 */
public enum MigrationStatus implements QapiEnum {
    NONE("none"),
    SETUP("setup"),
    CANCELLING("cancelling"),
    CANCELLED("cancelled"),
    ACTIVE("active"),
    POSTCOPY_ACTIVE("postcopy-active"),
    POSTCOPY_PAUSED("postcopy-paused"),
    POSTCOPY_RECOVER("postcopy-recover"),
    COMPLETED("completed"),
    FAILED("failed"),
    COLO("colo"),
    PRE_SWITCHOVER("pre-switchover"),
    DEVICE("device"),
    WAIT_UNPLUG("wait-unplug"),
    /** A value this catalogue does not know (a newer QEMU's). */
    UNRECOGNIZED(null);

    private final String value;

    MigrationStatus(String value) {
        this.value = value;
    }

    @JsonValue
    @Override
    public String value() {
        return value;
    }

    /** The constant for a wire value; {@link #UNRECOGNIZED} for one this catalogue does not know. */
    @JsonCreator
    public static MigrationStatus of(String value) {
        return QapiEnum.of(values(), value, UNRECOGNIZED);
    }

    @Override
    public String toString() {
        return QapiEnum.toString(this);
    }
}
