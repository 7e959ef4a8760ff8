package io.qeventd.runtime.work;

import io.qeventd.api.Domain;
import io.qeventd.runtime.monitor.MonitorConnection;

/** What the workers need of a domain beyond the api's view: its job and its monitor. */
public interface WorkDomain extends Domain {
    /**
     * The domain's job: a processor runs holding it, and so does any other runtime work that changes
     * the domain (libvirt's {@code virDomainObjBeginJob}).
     */
    DomainJob job();

    MonitorConnection monitor();

    /** The current connection of the domain's monitor, as {@link io.qeventd.runtime.journal.JournalRecord} names it. */
    default long connection() {
        return 0;
    }

    /** The number of the last event read on the current connection (0 before any). */
    default long lastSeq() {
        return 0;
    }
}
