package io.qeventd.plugins.lifecycle;

import io.qeventd.api.EventType;

/** The process events this plugin queues, one per run-state event it handles; the journal's {@code type}. */
public enum LifecycleEvent implements EventType {
    STOPPED, RESUMED, RESET, SHUTDOWN, POWERDOWN, SUSPENDED, SUSPENDED_TO_DISK, WOKEN, PANICKED, CRASH_LOADED,
    DUMP_COMPLETED
}
