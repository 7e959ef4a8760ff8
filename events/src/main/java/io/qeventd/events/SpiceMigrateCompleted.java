package io.qeventd.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * QEMU's {@code SPICE_MIGRATE_COMPLETED} event (QEMU 7.2); it carries no data.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SpiceMigrateCompleted() {
    /** The QMP event name. */
    public static final String NAME = "SPICE_MIGRATE_COMPLETED";
}
