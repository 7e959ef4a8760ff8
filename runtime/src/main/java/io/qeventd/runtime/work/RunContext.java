package io.qeventd.runtime.work;

import io.qeventd.api.Domain;
import io.qeventd.api.HostNetwork;
import io.qeventd.api.Monitor;
import io.qeventd.api.PluginSettings;
import io.qeventd.api.ProcessContext;
import org.slf4j.Logger;

/** The context of one processor or resync run. */
record RunContext(Domain domain, Monitor monitor, HostNetwork host, Logger log, PluginSettings settings)
        implements ProcessContext {
}
