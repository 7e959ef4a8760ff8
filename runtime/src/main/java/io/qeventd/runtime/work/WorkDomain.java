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
}
