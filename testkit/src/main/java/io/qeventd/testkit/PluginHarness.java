package io.qeventd.testkit;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qeventd.api.Handler;
import io.qeventd.api.HostNetwork;
import io.qeventd.api.Nic;
import io.qeventd.api.state.SharedState;
import io.qeventd.runtime.admin.PluginCommands;
import io.qeventd.runtime.dispatch.HandlerRegistry;
import io.qeventd.runtime.dispatch.PluginHandlers;
import io.qeventd.runtime.domain.DomainHandle;
import io.qeventd.runtime.domain.DomainRegistry;
import io.qeventd.runtime.host.InMemoryHostNetwork;
import io.qeventd.runtime.journal.Journal;
import io.qeventd.runtime.monitor.MonitorOptions;
import io.qeventd.runtime.monitor.MonitorReactor;
import io.qeventd.runtime.plugin.MapPluginSettings;
import io.qeventd.runtime.plugin.PluginDescriptors;
import io.qeventd.runtime.plugin.PluginHost;
import io.qeventd.runtime.plugin.PluginInspection;
import io.qeventd.runtime.plugin.PluginPathSafety;
import io.qeventd.runtime.plugin.PluginStatus;
import io.qeventd.runtime.state.StateRegistry;
import io.qeventd.runtime.work.WorkOptions;
import io.qeventd.runtime.work.WorkQueue;
import io.qeventd.testkit.vm.TestFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ref.WeakReference;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.pf4j.RuntimeMode;

/**
 * The daemon's pipeline with a plugin loaded as the daemon loads it: the monitor reader, event table, per-domain
 * worker lanes and journal of the runtime, and the runtime's plugin host (PF4J, the plugin's own class loader,
 * extensions created through Guice with the plugin's settings). A jar is checked and loaded as from the plugins
 * directory; a project directory (with {@code target/classes}) as in development mode.
 *
 * <pre>{@code
 * try (PluginHarness harness = PluginHarness.builder().settings("audit-log", Map.of("file", "/tmp/x")).build()) {
 *     harness.load(PluginHarness.packagedJar());          // the jar 'mvn verify' just built
 *     harness.attach("vm1", qemu.socket());
 *     qemu.server().emit("STOP", null);
 *     harness.journal().awaitOne(r -> r.outcome() == Outcome.PROCESSED, Duration.ofSeconds(10));
 * }
 * }</pre>
 */
public final class PluginHarness implements AutoCloseable {
    /** The system property the plugin parent's failsafe configuration sets to the packaged jar. */
    public static final String JAR_PROPERTY = "qeventd.plugin.jar";
    private static final Duration CONNECT = Duration.ofSeconds(30);

    private final ObjectMapper mapper = new ObjectMapper();
    private final JournalRecorder journal = new JournalRecorder();
    private final HandlerRegistry registry = new HandlerRegistry();
    private final StateRegistry states = StateRegistry.shared();
    private final MonitorReactor reactor;
    private final Journal pipelineJournal = new Journal();
    private final WorkQueue queue;
    private final DomainRegistry domains;
    private final HostNetwork host;
    private final Map<String, Map<String, Object>> settings;
    private final Path work;
    private final Duration drainTimeout;
    private final Map<RuntimeMode, PluginHost> hosts = new HashMap<>();
    private final List<AutoCloseable> owned = new ArrayList<>();

    private PluginHarness(Builder b) {
        try {
            work = Files.createTempDirectory("qeventd-harness-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the harness's working directory", e);
        }
        host = b.host;
        settings = Map.copyOf(b.settings);
        drainTimeout = b.drainTimeout;
        pipelineJournal.addSink(journal);
        // As in the daemon: what a plugin published goes when the plugin does.
        registry.onUnregister(states::releasePlugin);
        reactor = new MonitorReactor(1, mapper);
        queue = new WorkQueue(new WorkOptions(b.workers, b.queueLimit, false, drainTimeout), registry,
                pipelineJournal, host);
        domains = new DomainRegistry(reactor, registry, queue, pipelineJournal);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A harness with two workers, no plugin settings and an in-memory host network. */
    public static PluginHarness start() {
        return builder().build();
    }

    /**
     * The plugin jar the build just packaged, named by the system property {@value #JAR_PROPERTY} that the
     * plugin parent's failsafe configuration sets for {@code *IT} tests.
     */
    public static Path packagedJar() {
        String property = System.getProperty(JAR_PROPERTY);
        if (property == null) {
            throw new IllegalStateException("system property " + JAR_PROPERTY + " is not set: run this test with"
                    + " 'mvn verify' in a project whose parent is io.qeventd:qeventd-plugin-parent, which packages"
                    + " the plugin and passes the jar's path to *IT tests");
        }
        Path jar = Path.of(property);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(JAR_PROPERTY + " names " + jar + ", which is not a file: package the"
                    + " plugin first");
        }
        return jar;
    }

    /**
     * Loads a plugin as the daemon does: a jar or zip is checked first and refused if broken; a project
     * directory (containing {@code target/classes}) is loaded from its classes, as {@code run --dev} does.
     * A failure is in the status ({@code state} {@code failed}, {@code error}), never thrown.
     */
    public PluginStatus load(Path plugin) {
        Path source = plugin.toAbsolutePath().normalize();
        if (Files.isDirectory(source) && source.endsWith(Path.of("target", "classes"))) {
            source = source.getParent().getParent();
        }
        return host(Files.isDirectory(source) ? RuntimeMode.DEVELOPMENT : RuntimeMode.DEPLOYMENT).load(source);
    }

    /** Loads a plugin and fails unless it started. */
    public PluginStatus loadStarted(Path plugin) {
        PluginStatus status = load(plugin);
        if (status.error() != null || status.id() == null || !isLoaded(status.id())) {
            throw new IllegalStateException("plugin " + plugin + " did not start: " + status.state()
                    + (status.error() == null ? "" : ": " + status.error()));
        }
        return status;
    }

    /**
     * Registers handlers directly, as plugin {@code pluginId} version {@code version} would after loading: for unit
     * tests that create the extension themselves (before {@code package} there is no jar yet).
     */
    public void register(String pluginId, String version, List<Handler<?>> handlers) {
        ObjectMapper pluginMapper = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        registry.register(new PluginHandlers(pluginId, version, handlers, pluginMapper,
                new MapPluginSettings(settings.getOrDefault(pluginId, Map.of()), pluginMapper)));
    }

    /** Removes handlers that {@link #register} added. */
    public void unregister(String pluginId) {
        registry.unregister(pluginId);
    }

    /** Unloads plugin {@code pluginId}; its queued events finish first, as on a hot reload. */
    public void unload(String pluginId) {
        hosts.values().forEach(h -> h.unload(pluginId));
    }

    /**
     * Watches {@code dir} as the daemon watches its plugins directory: jars copied or renamed into it load,
     * replaced ones reload, removed ones unload. The directory must be safe as the daemon requires (not
     * writable by others).
     */
    public void watch(Path dir) {
        try {
            host(RuntimeMode.DEPLOYMENT).watch(dir, PluginPathSafety.forDaemonUser(false));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot watch " + dir, e);
        }
    }

    /** Whether plugin {@code pluginId} has handlers in the pipeline now. */
    public boolean isLoaded(String pluginId) {
        return registry.plugin(pluginId).isPresent();
    }

    /**
     * The class loader of a loaded plugin, held weakly: after {@link #unload} a test can check that nothing keeps
     * the plugin's classes in memory.
     */
    public WeakReference<ClassLoader> classLoaderOf(String pluginId) {
        Object processor = registry.plugin(pluginId)
                .orElseThrow(() -> new IllegalStateException("plugin " + pluginId + " is not loaded"))
                .handlers().get(0).processor();
        return new WeakReference<>(processor.getClass().getClassLoader());
    }

    /**
     * What {@code qeventd plugins check} says of a jar, with this harness's settings for its plugin: the same
     * check the daemon runs before loading.
     */
    public PluginInspection check(Path jar) {
        String id = PluginDescriptors.peekId(jar);
        return PluginHost.inspectorFor(host, id == null ? Map.of() : settings.getOrDefault(id, Map.of()), drainTimeout)
                .withReferenceCheck().inspect(jar);
    }

    /** Every plugin the harness loaded or failed to load. */
    public List<PluginStatus> plugins() {
        return hosts.values().stream().flatMap(h -> h.status().stream()).toList();
    }

    /**
     * Connects domain {@code name} to a QMP socket (a {@link FakeQemu}, a replay, a real QEMU) and waits until
     * the monitor has negotiated, so events sent afterwards reach the plugin.
     */
    public DomainHandle attach(String name, Path socket) {
        return attach(name, socket, List.of());
    }

    /**
     * Like {@link #attach(String, Path)}, with the domain's NICs as the daemon's configuration would list them
     * ({@code domains[].nics}), for handlers that look a NIC up by its alias.
     */
    public DomainHandle attach(String name, Path socket, List<Nic> nics) {
        DomainHandle handle = domains.attach(name, UnixDomainSocketAddress.of(socket), nics,
                MonitorOptions.defaults().withReconnect(false));
        try {
            handle.monitor().firstConnect().get(CONNECT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while connecting " + name + " to " + socket, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("domain " + name + " cannot connect to " + socket + ": " + e, e);
        }
        return handle;
    }

    /**
     * The state plugin {@code pluginId} shares with other plugins, as its extensions get it injected
     * ({@link SharedState}): give it to handlers created in the test, or read what a plugin published through
     * another id (e.g. {@code "reader"}). {@code owner} is the class loader of the plugin's version.
     */
    public SharedState sharedState(String pluginId, ClassLoader owner) {
        return states.forPlugin(pluginId, owner);
    }

    /**
     * Everything plugins of this harness published and the services they offer: the daemon's registry, which
     * {@code qeventd status} shows. A plugin's entries go when it is unloaded or unregistered.
     */
    public StateRegistry states() {
        return states;
    }

    /**
     * The daemon's {@code plugin-command} (as {@code qeventd plugin-command} sends it to the admin socket): runs
     * an operator command of a plugin for a domain and answers with the journal record of that run.
     */
    public PluginCommands pluginCommands(Duration timeout) {
        return new PluginCommands(registry, domains, queue, pipelineJournal, timeout);
    }

    /** Every outcome the pipeline journaled. */
    public JournalRecorder journal() {
        return journal;
    }

    /** The host network handed to plugins (in memory unless the builder was given another). */
    public HostNetwork host() {
        return host;
    }

    private synchronized PluginHost host(RuntimeMode mode) {
        return hosts.computeIfAbsent(mode, m -> {
            PluginHost h = new PluginHost(registry, domains, queue, host, settings,
                    work.resolve("staging-" + m.name().toLowerCase()), m, drainTimeout);
            owned.add(h);
            return h;
        });
    }

    @Override
    public void close() {
        for (AutoCloseable c : owned) {
            try {
                c.close();
            } catch (Exception e) {
                // keep closing the rest; the pipeline below still has to stop
            }
        }
        domains.close();
        queue.close();
        reactor.close();
        registry.plugins().forEach(p -> registry.unregister(p.pluginId()));
        TestFiles.deleteRecursively(work);
    }

    /** Settings, workers and host network of a harness. */
    public static final class Builder {
        private final Map<String, Map<String, Object>> settings = new HashMap<>();
        private int workers = 2;
        private int queueLimit = 10_000;
        private HostNetwork host = new InMemoryHostNetwork();
        private Duration drainTimeout = Duration.ofSeconds(10);

        private Builder() {
        }

        /** {@code pluginSettings.<pluginId>} of the daemon's configuration. */
        public Builder settings(String pluginId, Map<String, Object> pluginSettings) {
            settings.put(pluginId, Map.copyOf(pluginSettings));
            return this;
        }

        public Builder workers(int workers) {
            this.workers = workers;
            return this;
        }

        public Builder queueLimit(int queueLimit) {
            this.queueLimit = queueLimit;
            return this;
        }

        public Builder host(HostNetwork host) {
            this.host = host;
            return this;
        }

        public Builder drainTimeout(Duration drainTimeout) {
            this.drainTimeout = drainTimeout;
            return this;
        }

        public PluginHarness build() {
            return new PluginHarness(this);
        }
    }
}
