package io.qeventd.runtime.work;

import io.qeventd.api.Domain;
import io.qeventd.api.HostNetwork;
import io.qeventd.api.Monitor;
import io.qeventd.api.PluginSettings;
import io.qeventd.api.ProcessContext;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;

/** The context of one processor or resync run; collects the actions it reports for the journal. */
final class RunContext implements ProcessContext {
    private final Domain domain;
    private final Monitor monitor;
    private final HostNetwork host;
    private final Logger log;
    private final PluginSettings settings;
    private final List<String> actions = new ArrayList<>();

    RunContext(Domain domain, Monitor monitor, HostNetwork host, Logger log, PluginSettings settings) {
        this.domain = domain;
        this.monitor = monitor;
        this.host = host;
        this.log = log;
        this.settings = settings;
    }

    @Override
    public Domain domain() {
        return domain;
    }

    @Override
    public Monitor monitor() {
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
        actions.add(String.valueOf(action));
    }

    synchronized List<String> actions() {
        return List.copyOf(actions);
    }
}
