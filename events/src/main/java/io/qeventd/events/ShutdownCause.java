package io.qeventd.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The QAPI enum {@code ShutdownCause} as QEMU 7.2 defines it. A value a newer QEMU adds decodes to
 * {@link #UNRECOGNIZED} instead of failing the event.
 */
public enum ShutdownCause implements QapiEnum {
    NONE("none"),
    HOST_ERROR("host-error"),
    HOST_QMP_QUIT("host-qmp-quit"),
    HOST_QMP_SYSTEM_RESET("host-qmp-system-reset"),
    HOST_SIGNAL("host-signal"),
    HOST_UI("host-ui"),
    GUEST_SHUTDOWN("guest-shutdown"),
    GUEST_RESET("guest-reset"),
    GUEST_PANIC("guest-panic"),
    SUBSYSTEM_RESET("subsystem-reset"),
    SNAPSHOT_LOAD("snapshot-load"),
    /** A value this catalogue does not know (a newer QEMU's). */
    UNRECOGNIZED(null);

    private final String value;

    ShutdownCause(String value) {
        this.value = value;
    }

    @JsonValue
    @Override
    public String value() {
        return value;
    }

    /** The constant for a wire value; {@link #UNRECOGNIZED} for one this catalogue does not know. */
    @JsonCreator
    public static ShutdownCause of(String value) {
        return QapiEnum.of(values(), value, UNRECOGNIZED);
    }

    @Override
    public String toString() {
        return QapiEnum.toString(this);
    }
}
