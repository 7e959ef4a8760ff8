package io.qeventd.runtime.metrics;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.qeventd.runtime.dispatch.HandlerRegistry;
import io.qeventd.runtime.domain.DomainHandle;
import io.qeventd.runtime.domain.DomainRegistry;
import io.qeventd.runtime.journal.Journal;
import io.qeventd.runtime.journal.JsonLinesJournal;
import io.qeventd.runtime.plugin.PluginHost;
import io.qeventd.runtime.work.WorkQueue;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's Prometheus metrics ({@code metrics.listen}): a registry of the daemon's series and the JVM's,
 * served at {@code /metrics} in Prometheus' text format. Outcomes are counted by a journal sink on the journal's
 * dispatch thread; everything else is sampled at scrape time from counters the daemon keeps anyway, so monitor
 * readers and workers do no extra work. Built before the daemon starts (so it sees every plugin and record);
 * {@link #start()} opens the listener, {@link #close()} closes it.
 */
public final class DaemonMetrics implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DaemonMetrics.class);
    /** Where the address is configured, for messages. */
    public static final String CONFIG_KEY = "metrics.listen";

    private final InetSocketAddress listen;
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final OutcomeMetrics outcomes;
    private final Journal journal;
    private HTTPServer server;
    private ExecutorService executor;

    /**
     * Registers the series and adds the outcome counter to {@code journal}; nothing listens yet.
     *
     * @param listen      where {@link #start()} listens; port 0 for any free port
     * @param journalFile the journal file, or null while there is none
     */
    public DaemonMetrics(InetSocketAddress listen, DomainRegistry domains, WorkQueue queue, PluginHost plugins,
                         HandlerRegistry handlers, Journal journal, Supplier<JsonLinesJournal> journalFile) {
        this(listen, domains, queue, plugins, handlers, journal, journalFile, Map::of);
    }

    /** @param forwarding what sinks shipped beside the runtime report, by configuration section */
    public DaemonMetrics(InetSocketAddress listen, DomainRegistry domains, WorkQueue queue, PluginHost plugins,
                         HandlerRegistry handlers, Journal journal, Supplier<JsonLinesJournal> journalFile,
                         Supplier<Map<String, Map<String, Object>>> forwarding) {
        this.listen = listen;
        this.journal = journal;
        this.outcomes = new OutcomeMetrics(registry, handlers, () -> attached(domains));
        DomainMetrics.register(registry, domains, queue);
        JournalMetrics.register(registry, journal, journalFile);
        ForwardingMetrics.register(registry, forwarding);
        plugins.addStateListener(new PluginReloadMetrics(registry));
        JvmMetrics.builder().register(registry);
        journal.addSink(outcomes);
    }

    private static Set<String> attached(DomainRegistry domains) {
        return domains.all().stream().map(DomainHandle::name).collect(Collectors.toSet());
    }

    /** The registry the listener serves. */
    public PrometheusRegistry registry() {
        return registry;
    }

    /**
     * Opens the listener.
     *
     * @throws MetricsListenException naming the address and {@value #CONFIG_KEY} when it cannot listen there
     */
    public synchronized void start() {
        String where = describe(listen);
        ExecutorService ex = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "metrics-http");
            t.setDaemon(true);
            return t;
        });
        try {
            InetAddress address = listen.isUnresolved() ? InetAddress.getByName(listen.getHostString())
                    : listen.getAddress();
            server = HTTPServer.builder()
                    .inetAddress(address)
                    .port(listen.getPort())
                    .registry(registry)
                    .executorService(ex)
                    .buildAndStart();
        } catch (IOException | RuntimeException e) {
            ex.shutdownNow();
            throw new MetricsListenException("cannot serve metrics on " + where + " (" + CONFIG_KEY + "): "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        }
        executor = ex;
        log.info("metrics: http://{}/metrics", describe(address().orElseThrow()));
    }

    /** The address the listener is bound to (with the port chosen when 0 was configured); empty before start. */
    public synchronized Optional<InetSocketAddress> address() {
        if (server == null) {
            return Optional.empty();
        }
        return Optional.of(InetSocketAddress.createUnresolved(listen.getHostString(), server.getPort()));
    }

    /** Closes the listener and stops counting; the daemon stops. */
    @Override
    public synchronized void close() {
        journal.removeSink(outcomes);
        if (server != null) {
            server.close();
            executor.shutdownNow();
            server = null;
        }
    }

    private static String describe(InetSocketAddress a) {
        String host = a.getHostString();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }
}
