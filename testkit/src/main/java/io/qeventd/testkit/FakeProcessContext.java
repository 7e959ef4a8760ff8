package io.qeventd.testkit;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.qeventd.api.Domain;
import io.qeventd.api.HostNetwork;
import io.qeventd.api.Monitor;
import io.qeventd.api.Nic;
import io.qeventd.api.PluginSettings;
import io.qeventd.api.ProcessContext;
import io.qeventd.runtime.host.InMemoryHostNetwork;
import io.qeventd.runtime.plugin.MapPluginSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A processor's context for unit tests: call {@code processor.process(ctx, event)} directly, then look at what it
 * sent to the {@link FakeMonitor}, changed on the in-memory host network and {@linkplain #reports() reported}.
 *
 * <pre>{@code
 * FakeProcessContext ctx = FakeProcessContext.builder("vm1")
 *         .monitor(new FakeMonitor().answer("query-status", Map.of("status", "paused")))
 *         .build();
 * }</pre>
 */
public final class FakeProcessContext implements ProcessContext {
    private final Domain domain;
    private final Monitor monitor;
    private final HostNetwork host;
    private final PluginSettings settings;
    private final Logger log;
    private final List<String> reports = new ArrayList<>();

    private FakeProcessContext(Builder b) {
        this.domain = new FixedDomain(b.domain, Optional.ofNullable(b.uuid), List.copyOf(b.nics));
        this.monitor = b.monitor;
        this.host = b.host;
        this.settings = new MapPluginSettings(Map.copyOf(b.settings), new ObjectMapper());
        this.log = LoggerFactory.getLogger(b.logger);
    }

    public static Builder builder(String domain) {
        return new Builder(domain);
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
        reports.add(action);
    }

    /** What the processor reported, in order: the {@code actions} of its journal line in the daemon. */
    public synchronized List<String> reports() {
        return List.copyOf(reports);
    }

    private record FixedDomain(String name, Optional<String> uuid, List<Nic> nics) implements Domain {
        @Override
        public boolean isActive() {
            return true;
        }
    }

    /** The domain, monitor, host network and settings of a fake context. */
    public static final class Builder {
        private final String domain;
        private String uuid;
        private final List<Nic> nics = new ArrayList<>();
        private Monitor monitor = new FakeMonitor();
        private HostNetwork host = new InMemoryHostNetwork();
        private Map<String, Object> settings = Map.of();
        private String logger = "qeventd.plugin.test";

        private Builder(String domain) {
            this.domain = domain;
        }

        public Builder uuid(String uuid) {
            this.uuid = uuid;
            return this;
        }

        public Builder nic(Nic nic) {
            nics.add(nic);
            return this;
        }

        public Builder monitor(Monitor monitor) {
            this.monitor = monitor;
            return this;
        }

        public Builder host(HostNetwork host) {
            this.host = host;
            return this;
        }

        /** The plugin's section of the configuration ({@code pluginSettings.<id>}). */
        public Builder settings(Map<String, Object> settings) {
            this.settings = settings;
            return this;
        }

        public Builder logger(String name) {
            this.logger = name;
            return this;
        }

        public FakeProcessContext build() {
            return new FakeProcessContext(this);
        }
    }
}
