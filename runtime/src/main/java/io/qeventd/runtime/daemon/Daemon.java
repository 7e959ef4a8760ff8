package io.qeventd.runtime.daemon;

import com.google.inject.Inject;
import io.qeventd.runtime.admin.AdminCommand;
import io.qeventd.runtime.admin.AdminProtocol;
import io.qeventd.runtime.admin.AdminServer;
import io.qeventd.runtime.admin.AdminSocketException;
import io.qeventd.runtime.admin.AdminStreamCommand;
import io.qeventd.runtime.admin.OutcomeCounters;
import io.qeventd.runtime.admin.PluginCommands;
import io.qeventd.runtime.admin.RunStateTracker;
import io.qeventd.runtime.admin.StatusCollector;
import io.qeventd.runtime.admin.StatusReport;
import io.qeventd.runtime.config.DomainConfig;
import io.qeventd.runtime.config.QeventdConfig;
import io.qeventd.runtime.discover.DiscoveredDomains;
import io.qeventd.runtime.discover.SocketDiscovery;
import io.qeventd.runtime.dispatch.HandlerRegistry;
import io.qeventd.runtime.state.StateRegistry;
import io.qeventd.runtime.domain.DomainRegistry;
import io.qeventd.runtime.journal.Journal;
import io.qeventd.runtime.journal.JournalRotation;
import io.qeventd.runtime.journal.JournalSink;
import io.qeventd.runtime.journal.JournalSinkProvider;
import io.qeventd.runtime.journal.JsonLinesJournal;
import io.qeventd.runtime.metrics.DaemonMetrics;
import io.qeventd.runtime.metrics.MetricsListenException;
import io.qeventd.runtime.monitor.MonitorOptions;
import io.qeventd.runtime.monitor.MonitorReactor;
import io.qeventd.runtime.plugin.PluginHost;
import io.qeventd.runtime.plugin.PluginPathSafety;
import io.qeventd.runtime.plugin.PluginStatus;
import io.qeventd.runtime.plugin.UnsafePluginPathException;
import io.qeventd.runtime.record.DomainRecordCommand;
import io.qeventd.runtime.stream.EventStream;
import io.qeventd.runtime.stream.EventsAdminCommand;
import io.qeventd.runtime.work.WorkQueue;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.pf4j.RuntimeMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running daemon: plugins loaded, domains attached, journal open. Built by Guice from
 * {@link RuntimeModule}; {@link #start()} and {@link #stop(Duration)} bracket its life.
 */
public final class Daemon {
    private static final Logger log = LoggerFactory.getLogger(Daemon.class);
    /** How long an admin client may stay silent before its connection is closed. */
    private static final Duration ADMIN_IDLE = Duration.ofSeconds(30);
    /** How often discovery lists its directory even when the watch service reports nothing. */
    private static final Duration DISCOVERY_RESCAN = Duration.ofSeconds(2);
    /** How long stop waits for a plugin's processors that still run after the queue's own deadline. */
    private static final Duration PLUGIN_UNLOAD_AT_STOP = Duration.ofSeconds(1);
    /** How long stop waits for the journal's queue to reach its sinks. */
    private static final Duration JOURNAL_FLUSH = Duration.ofSeconds(10);

    private final QeventdConfig config;
    private final MonitorReactor reactor;
    private final WorkQueue queue;
    private final DomainRegistry domains;
    private final PluginHost plugins;
    private final Journal journal;
    private final RunStateTracker runStates;
    private final StatusCollector status;
    private final OutcomeCounters counters;
    private final EventStream eventStream;
    private JsonLinesJournal journalFile;
    private final Map<String, JournalSink> providedSinks = new ConcurrentHashMap<>();
    private List<Path> devProjects = List.of();
    private List<Path> addedPluginDirs = List.of();
    private AdminServer admin;
    private final PluginCommands pluginCommands;
    private SocketDiscovery discovery;
    private volatile boolean stopped;
    private final DaemonMetrics metrics;

    @Inject
    Daemon(QeventdConfig config, MonitorReactor reactor, WorkQueue queue, DomainRegistry domains, PluginHost plugins,
           Journal journal, HandlerRegistry handlers) {
        this.config = config;
        this.reactor = reactor;
        this.queue = queue;
        this.domains = domains;
        this.plugins = plugins;
        this.journal = journal;
        this.counters = new OutcomeCounters();
        this.runStates = new RunStateTracker(domains, config.commandTimeout());
        journal.addSink(counters);
        journal.addSink(runStates);
        this.eventStream = new EventStream(config.events());
        journal.addSink(eventStream);
        // Plugins' injectors publish into the process's registry; an unloaded plugin's state goes with it.
        StateRegistry states = StateRegistry.shared();
        handlers.onUnregister(states::releasePlugin);
        this.status = new StatusCollector(domains, queue, plugins::status, journal, counters, runStates,
                this::journalHealth, states);
        status.forwarding(this::forwardingStatus);
        this.pluginCommands = new PluginCommands(handlers, domains, queue, journal, config.commandTimeout());
        this.metrics = config.metrics().listen()
                .map(a -> new DaemonMetrics(a, domains, queue, plugins, handlers, journal, () -> journalFile,
                        this::forwardingStatus))
                .orElse(null);
    }

    /**
     * Opens the admin socket and the journal, loads the plugins, attaches the configured domains and starts
     * discovering sockets when {@code discover} is configured.
     *
     * @throws AdminSocketException when the admin socket cannot be opened (for instance another daemon
     *                              answers there); nothing has started then
     * @throws DaemonStartException when it cannot start as configured (e.g. the metrics port is taken)
     */
    public List<PluginStatus> start() throws AdminSocketException {
        try {
            if (metrics != null) {
                metrics.start();
            }
        } catch (MetricsListenException e) {
            throw new DaemonStartException(e.getMessage() + " (" + config.source() + ")", e);
        }
        admin = AdminServer.start(config.admin().socket(),
                Map.<String, Supplier<Object>>of(AdminProtocol.STATUS, this::status),
                Map.<String, AdminCommand>of(AdminProtocol.PLUGIN_COMMAND, pluginCommands),
                Map.<String, AdminStreamCommand>of(AdminProtocol.EVENTS, new EventsAdminCommand(eventStream),
                        AdminProtocol.RECORD, new DomainRecordCommand(domains)), ADMIN_IDLE);
        config.journal().ifPresent(f -> {
            try {
                journalFile = new JsonLinesJournal(f, config.journalSync(), config.journalRotate()
                        .map(r -> new JournalRotation(r.maxSize(), r.keep(), r.gzip())).orElse(null));
            } catch (java.io.UncheckedIOException e) {
                throw new DaemonStartException(e.getMessage() + " (journal: " + f + ")", e);
            }
            journal.addSink(journalFile);
            log.info("journal: {}", f);
        });
        openProvidedSinks();
        // The plugins directory, then added directories, then projects under development: each adds to the
        // others (a plugin id already loaded is refused, naming where it came from).
        loadPluginsDirectory(config.plugins().dir());
        for (Path dir : addedPluginDirs) {
            loadPluginsDirectory(dir);
        }
        for (Path project : devProjects) {
            plugins.load(project);
            plugins.watchProject(project);
        }
        List<PluginStatus> loaded = plugins.status();
        runStates.start(); // before any domain attaches, so no first connect goes unasked
        for (DomainConfig d : config.domains()) {
            attach(d);
        }
        config.discover().ifPresent(d -> {
            discovery = new SocketDiscovery(d, new DiscoveredDomains(domains, this::attach), DISCOVERY_RESCAN);
            discovery.start();
        });
        return loaded;
    }

    /**
     * Sinks shipped beside the runtime (Kafka forwarding): each configured section needs its provider on the
     * class path, or the daemon does not start.
     */
    private void openProvidedSinks() {
        Set<String> provided = new HashSet<>();
        for (JournalSinkProvider p : ServiceLoader.load(JournalSinkProvider.class, Daemon.class.getClassLoader())) {
            provided.add(p.section());
            Optional<JournalSink> sink;
            try {
                sink = p.open(config);
            } catch (RuntimeException e) {
                throw new DaemonStartException(p.section() + ": " + e.getMessage(), e);
            }
            sink.ifPresent(s -> {
                providedSinks.put(p.section(), s);
                journal.addSink(s);
            });
        }
        if (config.kafka().isPresent() && !provided.contains("kafka")) {
            throw new DaemonStartException("kafka: forwarding is configured in " + config.source() + " but the Kafka"
                    + " forwarder (qeventd-kafka) is not on the daemon's class path", null);
        }
    }

    /**
     * Plugin projects to load from their build output (development mode, {@code run --dev}), on top of the
     * plugins directory.
     */
    public void developmentProjects(List<Path> projects) {
        this.devProjects = List.copyOf(projects);
    }

    /** Plugins directories loaded (and watched) in addition to {@code plugins.dir} ({@code run --plugins}). */
    public void addedPluginDirectories(List<Path> dirs) {
        this.addedPluginDirs = List.copyOf(dirs);
    }

    private List<PluginStatus> loadPluginsDirectory(Path dir) {
        if (!Files.isDirectory(dir)) {
            log.warn("plugins directory {} does not exist; no handlers loaded", dir);
            return List.of();
        }
        PluginPathSafety safety;
        try {
            safety = PluginPathSafety.forDaemonUser(config.plugins().allowWritable());
            safety.checkDirectory(dir);
        } catch (UnsafePluginPathException | IOException e) {
            throw new DaemonStartException(e.getMessage(), e);
        }
        if (config.plugins().watch()) {
            // The watcher's first look loads what is there; later looks follow additions, replacements, removals.
            try {
                plugins.watch(dir, safety);
                plugins.awaitInitialLoad(Duration.ofSeconds(30));
            } catch (IOException e) {
                throw new DaemonStartException("cannot watch plugins directory " + dir + ": " + e.getMessage(), e);
            }
            return plugins.status();
        }
        return plugins.loadDirectory(dir);
    }

    public void attach(DomainConfig d) {
        MonitorOptions options = MonitorOptions.defaults()
                .withConnectTimeout(config.connectTimeout())
                .withCommandTimeout(config.commandTimeout())
                .withReconnect(d.reconnect())
                .withReconnectDelays(Duration.ofMillis(100), d.reconnectMaxDelay());
        domains.attach(d.name(), UnixDomainSocketAddress.of(d.qmp()), d.apiNics(), options);
    }

    /**
     * Reopens the journal file (SIGHUP, after logrotate moved it). Logs need nothing: they go to stderr, which
     * belongs to whoever started the daemon.
     */
    public void reopenFiles() {
        if (journalFile != null) {
            journal.flush(JOURNAL_FLUSH);
            journalFile.reopen();
        }
    }

    /**
     * Every outcome counted, and where it went: {@code "N outcome(s) counted, W written to FILE, L lost"}, so that
     * an operator (and a test) can check after a stop that each one was written or is reported lost.
     */
    private String accounting() {
        long counted = 0;
        for (var e : journal.counts().entrySet()) {
            if (e.getKey() != io.qeventd.runtime.journal.Outcome.LOST) {
                counted += e.getValue();
            }
        }
        if (journalFile == null) {
            return counted + " outcome(s) counted, no journal file";
        }
        io.qeventd.runtime.journal.JournalHealth h = journalFile.health();
        long lost = journal.lost() + h.lost() + h.waiting() + journal.backlog();
        return counted + " outcome(s) counted, " + h.outcomesWritten() + " written to " + h.file() + ", " + lost + " lost";
    }

    /** What each sink shipped beside the runtime says of itself, by its configuration section. */
    private Map<String, Map<String, Object>> forwardingStatus() {
        Map<String, Map<String, Object>> all = new TreeMap<>();
        providedSinks.forEach((section, sink) -> {
            try {
                all.put(section, sink.status());
            } catch (RuntimeException e) {
                all.put(section, Map.of("error", "status failed: " + e));
            }
        });
        return all;
    }

    /** The journal file's state, when there is one. */
    public java.util.Optional<io.qeventd.runtime.journal.JournalHealth> journalHealth() {
        return java.util.Optional.ofNullable(journalFile).map(JsonLinesJournal::health);
    }

    /** What {@code qeventd status} shows: domains, plugins, outcome counts. */
    public StatusReport status() {
        return status.report();
    }

    /** The admin socket, once started. */
    public Path adminSocket() {
        return admin == null ? config.admin().socket() : admin.socket();
    }

    public DomainRegistry domains() {
        return domains;
    }

    public PluginHost plugins() {
        return plugins;
    }

    public WorkQueue queue() {
        return queue;
    }

    /** What each plugin handled and failed, and which events nobody handled, counted from the journal. */
    public OutcomeCounters counters() {
        return counters;
    }

    public Journal journal() {
        return journal;
    }

    /** Where {@code /metrics} is served, once started; empty when {@code metrics.listen} is not configured. */
    public Optional<InetSocketAddress> metricsAddress() {
        return metrics == null ? Optional.empty() : metrics.address();
    }

    /**
     * Stops gracefully: no new events are taken, queued ones run until {@code drain} passes, then
     * monitors close, plugins unload and the journal is flushed.
     *
     * @return true when every queued event ran in time
     */
    public synchronized boolean stop(Duration drain) {
        if (stopped) {
            return true;
        }
        stopped = true;
        if (discovery != null) {
            discovery.close();
        }
        boolean drained = false;
        try {
            drained = queue.drainAndStop(drain);
            if (!drained) {
                log.warn("stopping with events still queued after {} ms", drain.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        domains.close();
        // The queue stopped at its deadline: a processor still running there gets no more time per plugin.
        plugins.close(PLUGIN_UNLOAD_AT_STOP);
        reactor.close();
        runStates.close();
        if (!journal.close(JOURNAL_FLUSH)) {
            log.warn("journal: {} record(s) could not be delivered before stop", journal.backlog());
        }
        if (journalFile != null) {
            journalFile.close();
        }
        for (JournalSink s : providedSinks.values()) {
            try {
                s.close();
            } catch (RuntimeException e) {
                log.warn("closing journal sink {}: {}", s, e.toString());
            }
        }
        if (admin != null) {
            admin.close();
        }
        if (metrics != null) {
            metrics.close();
        }
        log.info("stopped; journal: {}", accounting());
        return drained;
    }
}
