package io.qeventd.runtime.work;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.qeventd.api.Domain;
import io.qeventd.api.HostNetwork;
import io.qeventd.api.Monitor;
import io.qeventd.api.PluginSettings;
import io.qeventd.api.ProcessContext;
import java.util.ArrayList;
import io.qeventd.runtime.monitor.ConnectionMonitor;
import java.util.List;
import org.slf4j.Logger;

/**
 * The context of one processor or resync run; collects the actions it reports for the journal. What most
 * processors never touch (the monitor, the list of actions) is made on first use: one of these is made per
 * event.
 */
final class RunContext implements ProcessContext {
    private final WorkDomain domain;
    private final ObjectMapper mapper;
    private final HostNetwork host;
    private final Logger log;
    private final PluginSettings settings;
    private Monitor monitor;
    private List<String> actions;

    RunContext(WorkDomain domain, ObjectMapper mapper, HostNetwork host, Logger log, PluginSettings settings) {
        this.domain = domain;
        this.mapper = mapper;
        this.host = host;
        this.log = log;
        this.settings = settings;
    }

    @Override
    public Domain domain() {
        return domain;
    }

    @Override
    public synchronized Monitor monitor() {
        if (monitor == null) {
            monitor = new ConnectionMonitor(domain.monitor(), mapper);
        }
        return monitor;
    }

    @Override
    public HostNetwork host() {
        return host;
    }

    @Override
    public Logger log() {
        return log;
    }

    @Override
    public PluginSettings settings() {
        return settings;
    }

    @Override
    public synchronized void report(String action) {
        if (actions == null) {
            actions = new ArrayList<>();
        }
        actions.add(String.valueOf(action));
    }

    synchronized List<String> actions() {
        return actions == null ? List.of() : List.copyOf(actions);
    }
}
