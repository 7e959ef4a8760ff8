package io.qeventd.api;

import java.time.Instant;

/**
 * The time QEMU stamped on an event. QEMU sends {@code -1/-1} when it could not read its clock.
 */
public record QemuTimestamp(long seconds, long microseconds) {
    public static final QemuTimestamp UNKNOWN = new QemuTimestamp(-1, -1);

    public boolean isKnown() {
        return seconds >= 0 && microseconds >= 0;
    }

    /** The time as an instant, or {@code null} when QEMU did not know it. */
    public Instant toInstant() {
        return isKnown() ? Instant.ofEpochSecond(seconds, microseconds * 1_000L) : null;
    }

    /** Seconds with six decimals, as the journal prints it; "-1.000001" style values never occur. */
    @Override
    public String toString() {
        if (!isKnown()) {
            return "-1";
        }
        return seconds + "." + String.format("%06d", microseconds);
    }
}
