package io.qeventd.runtime.testing;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qeventd.api.Handler;
import io.qeventd.api.HostNetwork;
import io.qeventd.runtime.dispatch.HandlerRegistry;
import io.qeventd.runtime.dispatch.PluginHandlers;
import io.qeventd.runtime.domain.DomainHandle;
import io.qeventd.runtime.domain.DomainRegistry;
import io.qeventd.runtime.host.InMemoryHostNetwork;
import io.qeventd.runtime.journal.Journal;
import io.qeventd.runtime.monitor.MonitorOptions;
import io.qeventd.runtime.monitor.MonitorReactor;
import io.qeventd.runtime.plugin.MapPluginSettings;
import io.qeventd.runtime.state.StateRegistry;
import io.qeventd.runtime.work.WorkOptions;
import io.qeventd.runtime.work.WorkQueue;
import io.qeventd.testkit.qmp.FakeQmpServer;
import io.qeventd.testkit.vm.Eventually;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The daemon's event pipeline without the CLI: reader, table, worker lanes, domains and a journal that
 * records every outcome. Handlers are registered directly, as a loaded plugin's would be.
 */
public final class Pipeline implements AutoCloseable {
    public final ObjectMapper mapper = new ObjectMapper();
    public final MonitorReactor reactor;
    public final HandlerRegistry registry = new HandlerRegistry();
    public final Journal journal = new Journal();
    public final RecordingJournal recorded = new RecordingJournal();
    public final WorkQueue queue;
    public final DomainRegistry domains;
    public final HostNetwork host;
    /** What handlers registered here publish ({@code states.forPlugin(id, loader)}); withdrawn on unregister. */
    public final StateRegistry states = new StateRegistry();

    public Pipeline(WorkOptions options) {
        this(options, 1, new InMemoryHostNetwork());
    }

    public Pipeline(WorkOptions options, int readers, HostNetwork host) {
        this.host = host;
        journal.addSink(recorded);
        registry.onUnregister(states::releasePlugin);
        reactor = new MonitorReactor(readers, mapper);
        queue = new WorkQueue(options, registry, journal, host);
        domains = new DomainRegistry(reactor, registry, queue, journal);
    }

    public static WorkOptions options(int workers, int queueLimit) {
        return new WorkOptions(workers, queueLimit, false, Duration.ofSeconds(10));
    }

    /** Registers handlers as plugin {@code pluginId} version 1.0.0 would. */
    public void register(String pluginId, Handler<?>... handlers) {
        register(pluginId, "1.0.0", List.of(handlers));
    }

    public void register(String pluginId, String version, List<Handler<?>> handlers) {
        ObjectMapper pm = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        registry.register(new PluginHandlers(pluginId, version, handlers, pm, new MapPluginSettings(Map.of(), pm)));
    }

    /** Attaches a domain to a QMP socket, without reconnect unless asked. */
    public DomainHandle attach(String name, Path socket) {
        return attach(name, socket, MonitorOptions.defaults().withReconnect(false));
    }

    public DomainHandle attach(String name, Path socket, MonitorOptions options) {
        return domains.attach(name, UnixDomainSocketAddress.of(socket), List.of(), options);
    }

    /**
     * Starts a fake QEMU at {@code dir/NAME.qmp}, attaches it as domain NAME (no reconnect) and waits until the
     * monitor is connected and the fake has its client.
     */
    public FakeQmpServer connectFake(Path dir, String name) throws Exception {
        FakeQmpServer s = FakeQmpServer.start(dir.resolve(name + ".qmp"));
        attach(name, s.socket()).monitor().firstConnect().get(10, java.util.concurrent.TimeUnit.SECONDS);
        s.awaitClient(Duration.ofSeconds(20));
        return s;
    }

    /** Polls the domain's queue depth until it is {@code depth}; fails after 20 s. */
    public void awaitDepth(String domain, int depth) throws InterruptedException {
        Eventually.await("queue depth of " + domain + " reaches " + depth + " (is " + queue.depth(domain) + ")",
                Duration.ofSeconds(20), () -> queue.depth(domain) == depth);
    }

    @Override
    public void close() {
        domains.close();
        queue.close();
        reactor.close();
        journal.close();
    }
}
