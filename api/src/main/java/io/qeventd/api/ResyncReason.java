package io.qeventd.api;

/** Why the runtime asks a handler to re-read state it may have missed. */
public enum ResyncReason {
    /** The monitor connected for the first time. */
    CONNECTED,
    /** The monitor connected again after it was lost: events in between were missed. */
    RECONNECTED,
    /** The guest was reset (QMP {@code RESET}). */
    RESET,
    /** The domain's queue overflowed and events for this handler were not queued. */
    OVERFLOW,
    /** The handler's plugin was loaded or reloaded while the domain was running. */
    PLUGIN_LOADED,
    /** An operator ran one of the handler's {@link OperatorCommand}s for the domain. */
    OPERATOR
}
