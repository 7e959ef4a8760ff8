package io.qeventd.runtime.daemon;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.qeventd.api.HostNetwork;
import io.qeventd.runtime.config.DispatchMode;
import io.qeventd.runtime.config.QeventdConfig;
import io.qeventd.runtime.dispatch.HandlerRegistry;
import io.qeventd.runtime.domain.DomainRegistry;
import io.qeventd.runtime.journal.Journal;
import io.qeventd.runtime.monitor.MonitorReactor;
import io.qeventd.runtime.plugin.PluginHost;
import io.qeventd.runtime.work.WorkOptions;
import io.qeventd.runtime.work.WorkQueue;
import java.nio.file.Files;
import java.nio.file.Path;
import org.pf4j.RuntimeMode;

/** The daemon's services, built from its configuration. */
public final class RuntimeModule extends AbstractModule {
    private final QeventdConfig config;
    private final HostNetwork host;
    private final RuntimeMode pluginMode;

    public RuntimeModule(QeventdConfig config, HostNetwork host, RuntimeMode pluginMode) {
        this.config = config;
        this.host = host;
        this.pluginMode = pluginMode;
    }

    @Override
    protected void configure() {
        bind(QeventdConfig.class).toInstance(config);
        bind(HostNetwork.class).toInstance(host);
        bind(HandlerRegistry.class).in(Singleton.class);
        bind(Journal.class).in(Singleton.class);
        bind(Daemon.class).in(Singleton.class);
    }

    @Provides
    @Singleton
    ObjectMapper mapper() {
        return new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    @Provides
    @Singleton
    MonitorReactor reactor(ObjectMapper mapper) {
        return new MonitorReactor(config.readers(), mapper);
    }

    @Provides
    @Singleton
    WorkQueue workQueue(HandlerRegistry registry, Journal journal) {
        boolean global = config.dispatch() == DispatchMode.GLOBAL_FIFO;
        return new WorkQueue(new WorkOptions(global ? 1 : config.workers(), config.queueLimit(), global,
                config.slowThreshold(), config.processTimeout(), config.queueLimitTotal()), registry, journal, host);
    }

    @Provides
    @Singleton
    DomainRegistry domains(MonitorReactor reactor, HandlerRegistry registry, WorkQueue queue, Journal journal) {
        return new DomainRegistry(reactor, registry, queue, journal);
    }

    @Provides
    @Singleton
    PluginHost plugins(HandlerRegistry registry, DomainRegistry domains, WorkQueue queue) throws java.io.IOException {
        Path staging = Files.createTempDirectory("qeventd-plugins-");
        return new PluginHost(registry, domains, queue, host, config.pluginSettings(), staging, pluginMode,
                config.reloadDrainTimeout());
    }
}
