package io.qeventd.plugins.migration;

import io.qeventd.api.EventType;

/** The process events this plugin queues; the journal's {@code type}. */
public enum MigrationEvent implements EventType {
    STATUS_CHANGED, PASS
}
