package io.qeventd.bench;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qeventd.api.Handler;
import io.qeventd.runtime.dispatch.HandlerRegistry;
import io.qeventd.runtime.dispatch.PluginHandlers;
import io.qeventd.runtime.domain.DomainRegistry;
import io.qeventd.runtime.host.InMemoryHostNetwork;
import io.qeventd.runtime.journal.Journal;
import io.qeventd.runtime.journal.JournalSync;
import io.qeventd.runtime.journal.JsonLinesJournal;
import io.qeventd.runtime.journal.Outcome;
import io.qeventd.runtime.monitor.MonitorOptions;
import io.qeventd.runtime.monitor.MonitorReactor;
import io.qeventd.runtime.plugin.MapPluginSettings;
import io.qeventd.runtime.plugin.PluginHost;
import io.qeventd.runtime.plugin.PluginLifecycle;
import io.qeventd.runtime.plugin.PluginStatus;
import io.qeventd.runtime.work.WorkOptions;
import io.qeventd.runtime.work.WorkQueue;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.pf4j.RuntimeMode;

/** The daemon's pipeline, assembled as the daemon assembles it, with an outcome counter for measurements. */
final class Pipe implements AutoCloseable {
    final MonitorReactor reactor = new MonitorReactor(1, new ObjectMapper());
    final HandlerRegistry registry = new HandlerRegistry();
    final Journal journal = new Journal();
    final WorkQueue queue;
    final DomainRegistry domains;
    private final InMemoryHostNetwork host = new InMemoryHostNetwork();
    private JsonLinesJournal file;
    private PluginHost plugins;

    Pipe(WorkOptions options) {
        queue = new WorkQueue(options, registry, journal, host);
        domains = new DomainRegistry(reactor, registry, queue, journal);
    }

    static WorkOptions options(int workers, int queueLimit, boolean globalFifo) {
        return new WorkOptions(workers, queueLimit, globalFifo, Duration.ofSeconds(10));
    }

    void journalTo(Path path, JournalSync sync) {
        file = new JsonLinesJournal(path, sync);
        journal.addSink(file);
    }

    void register(String pluginId, Handler<?>... handlers) {
        ObjectMapper m = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        registry.register(new PluginHandlers(pluginId, "1.0.0", List.of(handlers), m, new MapPluginSettings(Map.of(), m)));
    }

    /**
     * Loads the plugin jars of {@code dir} as the daemon does (PF4J, Guice, staged copies, the same checks).
     *
     * @throws IllegalStateException when one of them does not load, with its reason
     */
    void loadPlugins(Path dir) throws IOException {
        plugins = new PluginHost(registry, domains, queue, host, Map.of(),
                Files.createTempDirectory("qeventd-bench-staging-"), RuntimeMode.DEPLOYMENT, Duration.ofSeconds(30));
        for (PluginStatus s : plugins.loadDirectory(dir)) {
            if (s.state() != PluginLifecycle.STARTED) {
                throw new IllegalStateException("plugin " + s.id() + " from " + s.source() + " did not load: " + s.error());
            }
        }
    }

    void attach(String name, Path socket) {
        domains.attach(name, UnixDomainSocketAddress.of(socket), List.of(), MonitorOptions.defaults().withReconnect(false));
    }

    /** Outcomes counted so far (the journal counts each as it is recorded, before any sink sees it). */
    long count(Outcome o) {
        return journal.counts().get(o);
    }

    /** Events that ended so far: every outcome but slow (a report, not an end) and the journal's own lost. */
    long ended() {
        long n = 0;
        for (var e : journal.counts().entrySet()) {
            if (e.getKey() != Outcome.SLOW && e.getKey() != Outcome.LOST) {
                n += e.getValue();
            }
        }
        return n;
    }

    @Override
    public void close() {
        domains.close();
        queue.close();
        if (plugins != null) {
            plugins.close();
        }
        reactor.close();
        journal.close();
        if (file != null) {
            file.close();
        }
    }
}
