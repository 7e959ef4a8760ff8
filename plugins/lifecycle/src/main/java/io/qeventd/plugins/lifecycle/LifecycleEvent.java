package io.qeventd.plugins.lifecycle;

import io.qeventd.api.EventType;

/** The process events this plugin queues, one per run-state event it handles. */
public enum LifecycleEvent implements EventType {
    STOPPED, RESUMED, RESET, SHUTDOWN, POWERDOWN, SUSPENDED, WOKEN
}
