package io.qeventd.runtime.domain;

import io.qeventd.api.Nic;
import io.qeventd.runtime.monitor.MonitorConnection;
import io.qeventd.runtime.monitor.MonitorState;
import io.qeventd.runtime.work.DomainJob;
import io.qeventd.runtime.work.WorkDomain;
import java.util.List;
import java.util.Optional;

/** A domain the daemon watches: its configuration, its monitor, its job. */
public final class DomainHandle implements WorkDomain {
    private final String name;
    private final List<Nic> nics;
    private final DomainJob job = new DomainJob();
    private volatile MonitorConnection monitor;
    private volatile String uuid;
    private volatile boolean detached;
    /** Written by the domain's reader only; read by workers for resync records. */
    private volatile long connection;
    private volatile long seq;

    DomainHandle(String name, List<Nic> nics) {
        this.name = name;
        this.nics = List.copyOf(nics);
    }

    void monitor(MonitorConnection m) {
        this.monitor = m;
    }

    void uuid(String u) {
        this.uuid = u;
    }

    void detached() {
        this.detached = true;
    }

    /**
     * A connection was negotiated: its id is the wall-clock milliseconds now, or one more than the previous id,
     * so that ids only grow (across reconnects, and across restarts unless the clock went back); events count
     * from 1 again. Reader thread only.
     */
    long newConnection() {
        long id = Math.max(System.currentTimeMillis(), connection + 1);
        seq = 0;
        connection = id;
        return id;
    }

    /** The next event's number on the current connection. Reader thread only. */
    long nextSeq() {
        long s = seq + 1;
        seq = s;
        return s;
    }

    @Override
    public long connection() {
        return connection;
    }

    @Override
    public long lastSeq() {
        return seq;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Optional<String> uuid() {
        return Optional.ofNullable(uuid);
    }

    /** Active while its monitor is connected and the domain is attached. */
    @Override
    public boolean isActive() {
        MonitorConnection m = monitor;
        return !detached && m != null && m.state() == MonitorState.RUNNING;
    }

    @Override
    public List<Nic> nics() {
        return nics;
    }

    @Override
    public DomainJob job() {
        return job;
    }

    @Override
    public MonitorConnection monitor() {
        return monitor;
    }

    @Override
    public String toString() {
        return "domain '" + name + "'";
    }
}
