package com.example.qeventd.audit;

import io.qeventd.api.EventType;

/** The one kind of work this plugin queues: an event to be written to the audit log. */
public enum AuditEvent implements EventType {
    RECORDED
}
