package io.qeventd.runtime.plugin;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.util.LRUMap;
import com.fasterxml.jackson.databind.util.LookupCache;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qeventd.api.EventHandlers;
import io.qeventd.api.Handler;
import io.qeventd.api.HostNetwork;
import io.qeventd.api.PluginSettings;
import io.qeventd.api.ResyncReason;
import io.qeventd.runtime.dispatch.HandlerRegistry;
import io.qeventd.runtime.dispatch.PluginHandlers;
import io.qeventd.runtime.dispatch.TableEntry;
import io.qeventd.runtime.domain.DomainRegistry;
import io.qeventd.runtime.work.WorkQueue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;
import org.pf4j.RuntimeMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one owner of the PF4J manager, which is not thread safe: every load, reload and unload runs on
 * its single "plugin-manager" thread. It turns loaded plugins into event-table entries and swaps them
 * on reload without losing or repeating an event:
 *
 * <ol>
 *   <li>the new jar is staged (copied) and checked by a {@link PluginInspector} before anything of the
 *       old version is touched; a broken new version leaves the old one running;</li>
 *   <li>the plugin is held: its queued events stay queued, in order;</li>
 *   <li>the old version's running processors finish (up to the drain timeout);</li>
 *   <li>the old version is unloaded, the new one loaded, its handlers replace the old in the table;</li>
 *   <li>the plugin is released: the held events run on the new version.</li>
 * </ol>
 *
 * <p>Jars are loaded from private copies, so a user replacing or deleting a file in the plugins
 * directory never pulls a jar out from under a live class loader.
 */
public final class PluginHost implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PluginHost.class);

    private final HandlerRegistry registry;
    private final DomainRegistry domains;
    private final WorkQueue queue;
    private final HostNetwork host;
    private final Map<String, Map<String, Object>> settings;
    private final PluginStaging staging;
    private final Duration drainTimeout;
    private final RuntimeMode mode;
    private final QeventdPluginManager manager;
    private final GuiceExtensionFactory guice;
    private final ExecutorService owner = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "plugin-manager");
        t.setDaemon(true);
        return t;
    });
    private final List<AutoCloseable> watchers = new ArrayList<>();

    /** Loaded plugins by id, and failures by source; touched only on the owner thread. */
    private final Map<String, Loaded> loaded = new LinkedHashMap<>();
    private final Map<Path, PluginStatus> failed = new LinkedHashMap<>();

    private record Loaded(String id, String version, Path source, Path staged, List<Handler<?>> handlers, int reloads,
                          String lastError) {
        Loaded withError(String error) {
            return new Loaded(id, version, source, staged, handlers, reloads, error);
        }
    }

    public PluginHost(HandlerRegistry registry, DomainRegistry domains, WorkQueue queue, HostNetwork host,
                      Map<String, Map<String, Object>> settings, Path stagingDir, RuntimeMode mode,
                      Duration drainTimeout) {
        this.registry = registry;
        this.domains = domains;
        this.queue = queue;
        this.host = host;
        this.settings = settings;
        this.staging = new PluginStaging(stagingDir);
        this.drainTimeout = drainTimeout;
        this.mode = mode;
        QeventdPluginManager[] self = new QeventdPluginManager[1];
        this.guice = new GuiceExtensionFactory(host, cl -> settingsFor(self[0].pluginIdOf(cl), mapperFor()));
        this.manager = new QeventdPluginManager(List.of(stagingDir), mode, guice);
        self[0] = manager;
    }

    public RuntimeMode mode() {
        return mode;
    }

    /**
     * Loads every plugin in a directory: jars and zips, or in development mode every plugin project
     * (a directory with {@code target/classes}).
     */
    public List<PluginStatus> loadDirectory(Path dir) {
        return call(() -> {
            List<PluginStatus> out = new ArrayList<>();
            for (Path p : candidates(dir)) {
                out.add(loadNow(p));
            }
            return out;
        });
    }

    /** Loads one plugin; a failure is reported in the result, never thrown. */
    public PluginStatus load(Path source) {
        return call(() -> loadNow(source));
    }

    /** Loads a new version of the plugin that came from {@code source} (or loads it, if none did). */
    public PluginStatus reload(Path source) {
        return call(() -> reloadNow(source));
    }

    /** Unloads the plugin loaded from {@code source}, if any. */
    public void unloadSource(Path source) {
        call(() -> {
            failed.remove(source);
            for (Loaded l : List.copyOf(loaded.values())) {
                if (l.source().equals(source)) {
                    unloadNow(l.id());
                }
            }
            return null;
        });
    }

    public void unload(String pluginId) {
        call(() -> {
            unloadNow(pluginId);
            return null;
        });
    }

    /**
     * Keeps a plugins directory live: jars added are loaded, replaced ones reloaded, removed ones unloaded.
     * Files are counted only once they stopped changing, so a half-copied jar is never loaded.
     */
    public void watch(Path dir, PluginPathSafety safety) throws IOException {
        PluginDirectoryWatcher w = new PluginDirectoryWatcher(dir, PluginDirectoryWatcher.DEFAULT_INTERVAL,
                PluginDirectoryWatcher.InitialFiles.AFTER_STABLE_CHECK, new PluginDirectoryListener() {
                    @Override
                    public void added(Path file) {
                        if (checked(safety, file)) {
                            load(file);
                        }
                    }

                    @Override
                    public void changed(Path file) {
                        if (checked(safety, file)) {
                            reload(file);
                        }
                    }

                    @Override
                    public void removed(Path file) {
                        unloadSource(file);
                    }
                });
        w.start();
        synchronized (watchers) {
            watchers.add(w);
        }
    }

    /** How many looks the directory watchers have taken, for tests and status. */
    public long watcherLooks() {
        synchronized (watchers) {
            return watchers.stream().filter(w -> w instanceof PluginDirectoryWatcher)
                    .mapToLong(w -> ((PluginDirectoryWatcher) w).lookCount()).sum();
        }
    }

    /** Waits until every watched directory's files present at start are loaded (or failed). */
    public void awaitInitialLoad(Duration timeout) {
        List<AutoCloseable> ws;
        synchronized (watchers) {
            ws = List.copyOf(watchers);
        }
        try {
            for (AutoCloseable w : ws) {
                if (w instanceof PluginDirectoryWatcher d && !d.awaitInitialScan(timeout)) {
                    log.warn("plugins in {} still changing after {} s; they load once they settle", d.directory(),
                            timeout.toSeconds());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Development mode: reloads a plugin project whenever its compiled classes change. */
    public void watchProject(Path project) {
        ClassesWatcher w = new ClassesWatcher(project, ClassesWatcher.DEFAULT_INTERVAL, () -> reload(project));
        w.start();
        synchronized (watchers) {
            watchers.add(w);
        }
    }

    private boolean checked(PluginPathSafety safety, Path file) {
        if (safety == null) {
            return true;
        }
        try {
            safety.checkFile(file);
            return true;
        } catch (UnsafePluginPathException | IOException e) {
            log.error("plugin {} refused: {}", file, e.getMessage());
            call(() -> failed.put(file, new PluginStatus(file.getFileName().toString(), null, "refused", file,
                    List.of(), 0, e.getMessage())));
            return false;
        }
    }

    /** Every loaded, failed or refused plugin. */
    public List<PluginStatus> status() {
        return call(() -> {
            List<PluginStatus> out = new ArrayList<>();
            for (Loaded l : loaded.values()) {
                out.add(new PluginStatus(l.id(), l.version(), "started", l.source(), events(l.handlers()), l.reloads(),
                        l.lastError()));
            }
            out.addAll(failed.values());
            return out;
        });
    }

    // ---- owner thread from here on ----

    private List<Path> candidates(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("plugins directory " + dir + " does not exist");
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> mode == RuntimeMode.DEVELOPMENT
                            ? Files.isDirectory(p.resolve("target/classes"))
                            : PluginDirectoryWatcher.isPluginFileName(p.getFileName().toString())
                                    && Files.isRegularFile(p))
                    .sorted().toList();
        }
    }

    private PluginStatus loadNow(Path source) {
        if (loadedFrom(source) != null) {
            return reloadNow(source);
        }
        failed.remove(source);
        String id = null;
        try {
            Path staged = staging.stage(source);
            if (!Files.isDirectory(staged)) {
                // The inspector names what is wrong far better than a failed PF4J load does.
                PluginInspection check = inspector(PluginDescriptors.peekId(staged)).inspect(staged, available(null));
                if (!check.valid()) {
                    staging.discard(staged);
                    throw new PluginLoadException(source, String.join("; ", check.problems()), null);
                }
            }
            if (Files.isDirectory(staged) && !QeventdPluginManager.hasProjectDescriptor(staged)) {
                throw new PluginLoadException(source, "no plugin descriptor: run `mvn package` once in the project "
                        + "(its manifest keys come from the pom), or add a plugin.properties beside its pom", null);
            }
            id = start(source, staged);
            Loaded l = loaded.get(id);
            log.info("plugin {} {} loaded from {}: {}", id, l.version(), source, events(l.handlers()));
            resyncDomains(id);
            return new PluginStatus(id, l.version(), "started", source, events(l.handlers()), 0, null);
        } catch (PluginLoadException | IOException | RuntimeException | LinkageError e) {
            return loadFailed(source, id, e);
        }
    }

    /** Loads, starts and registers a staged copy; returns the plugin id. */
    private String start(Path source, Path staged) throws PluginLoadException {
        String id = manager.loadPlugin(staged);
        try {
            if (loaded.containsKey(id)) {
                throw new PluginLoadException(source, "a plugin with id '" + id + "' is loaded already from "
                        + loaded.get(id).source(), null);
            }
            PluginWrapper w = manager.getPlugin(id);
            PluginState state = manager.startPlugin(id);
            if (state != PluginState.STARTED) {
                Throwable why = w.getFailedException();
                throw new PluginLoadException(source, "plugin '" + id + "' did not start (" + state + ")"
                        + (why == null ? "" : ": " + describe(why)), why);
            }
            List<Handler<?>> handlers = handlersOf(id, source);
            String version = w.getDescriptor().getVersion();
            ObjectMapper mapper = mapperFor();
            registry.register(new PluginHandlers(id, version, handlers, mapper, settingsFor(id, mapper)));
            loaded.put(id, new Loaded(id, version, source, staged, handlers, 0, null));
            return id;
        } catch (PluginLoadException | RuntimeException | LinkageError e) {
            if (!loaded.containsKey(id) || loaded.get(id).staged() != staged) {
                discard(id);
            }
            throw e;
        }
    }

    private PluginStatus loadFailed(Path source, String id, Throwable e) {
        String reason = e instanceof PluginLoadException ? e.getMessage() : source + ": " + describe(e);
        log.error("plugin {} not loaded: {}", id == null ? source.getFileName() : id, reason);
        PluginStatus st = new PluginStatus(id == null ? source.getFileName().toString() : id, null, "failed",
                source, List.of(), 0, reason);
        failed.put(source, st);
        return st;
    }

    private PluginStatus reloadNow(Path source) {
        Loaded old = loadedFrom(source);
        if (old == null) {
            return loadNow(source);
        }
        long began = System.nanoTime();
        Path staged;
        try {
            staged = staging.stage(source);
        } catch (IOException e) {
            return keepOld(old, source + ": cannot be read: " + e.getMessage());
        }
        // A development-mode project is checked by loading it: its build output is all there is to check.
        PluginInspection check = Files.isDirectory(staged) ? null : inspector(old.id()).inspect(staged, available(old.id()));
        if (check != null && !check.valid()) {
            staging.discard(staged);
            return keepOld(old, String.join("; ", check.problems()));
        }
        if (check != null && !old.id().equals(check.id())) {
            // A different plugin now lives in that file: the old one goes, the new one comes.
            unloadNow(old.id());
            return loadNow(source);
        }
        String id = old.id();
        registry.hold(id);
        try {
            if (!registry.awaitIdle(id, drainTimeout)) {
                log.warn("plugin {}: processors of {} still running after {} ms; reloading anyway", id, old.version(),
                        drainTimeout.toMillis());
            }
            int held = queue.queuedFor(id);
            List<String> dependents = dependentsOf(id);
            discard(id);
            loaded.remove(id);
            try {
                start(source, staged);
            } catch (PluginLoadException | RuntimeException | LinkageError e) {
                log.error("plugin {}: new version failed after its check ({}); restoring {}", id, describe(e),
                        old.version());
                start(old.source(), old.staged());
                loaded.put(id, loaded.get(id).withError("new version failed to load: " + describe(e)));
                restore(dependents);
                return status(id);
            }
            Loaded now = loaded.get(id);
            loaded.put(id, new Loaded(id, now.version(), source, staged, now.handlers(), old.reloads() + 1, null));
            if (!old.staged().equals(staged)) {
                staging.discard(old.staged());
            }
            restore(dependents);
            log.info("plugin {} reloaded {} -> {} in {} ms, {} event(s) held", id, old.version(), now.version(),
                    (System.nanoTime() - began) / 1_000_000, held);
            resyncDomains(id);
            return status(id);
        } catch (PluginLoadException | RuntimeException | LinkageError e) {
            return loadFailed(source, id, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return keepOld(old, "interrupted while reloading");
        } finally {
            registry.release(id);
        }
    }

    private PluginStatus keepOld(Loaded old, String reason) {
        log.error("plugin {}: new version from {} rejected, {} keeps running: {}", old.id(), old.source(),
                old.version(), reason);
        loaded.put(old.id(), old.withError("new version rejected: " + reason));
        return status(old.id());
    }

    private PluginStatus status(String id) {
        Loaded l = loaded.get(id);
        return new PluginStatus(l.id(), l.version(), "started", l.source(), events(l.handlers()), l.reloads(),
                l.lastError());
    }

    private PluginInspector inspector(String id) {
        return inspectorFor(host, id == null ? Map.of() : settings.getOrDefault(id, Map.of()), drainTimeout);
    }

    /**
     * An inspector that creates extensions as the daemon does: through Guice, with {@code host} and the
     * plugin's {@code settings} to inject. What {@code plugins check} and every load and reload use.
     */
    public static PluginInspector inspectorFor(HostNetwork host, Map<String, Object> settings, Duration timeout) {
        ObjectMapper m = mapperFor();
        PluginSettings s = new MapPluginSettings(settings, m);
        return PluginInspector.builder()
                .extensionFactory(new GuiceExtensionFactory(host, cl -> s))
                .timeout(timeout)
                .build();
    }

    private List<PluginInspector.AvailablePlugin> available(String except) {
        return loaded.values().stream().filter(l -> !l.id().equals(except == null ? "" : except))
                .map(l -> new PluginInspector.AvailablePlugin(l.id(), l.version(),
                        Files.isRegularFile(l.staged()) ? l.staged() : null))
                .toList();
    }

    /** Plugins that declare a dependency on {@code id}: PF4J unloads them with it. */
    private List<String> dependentsOf(String id) {
        List<String> out = new ArrayList<>();
        for (PluginWrapper w : manager.getPlugins()) {
            if (w.getDescriptor().getDependencies().stream().anyMatch(d -> d.getPluginId().equals(id))) {
                out.add(w.getPluginId());
            }
        }
        return out;
    }

    private void restore(List<String> dependents) {
        for (String dep : dependents) {
            Loaded l = loaded.get(dep);
            if (l != null && manager.getPlugin(dep) == null) {
                loaded.remove(dep);
                try {
                    start(l.source(), l.staged());
                    log.info("plugin {} restarted after its dependency was reloaded", dep);
                } catch (PluginLoadException | RuntimeException | LinkageError e) {
                    registry.unregister(dep);
                    loadFailed(l.source(), dep, e);
                }
            }
        }
    }

    private Loaded loadedFrom(Path source) {
        for (Loaded l : loaded.values()) {
            if (l.source().equals(source)) {
                return l;
            }
        }
        return null;
    }

    private List<Handler<?>> handlersOf(String id, Path source) throws PluginLoadException {
        List<Handler<?>> handlers = new ArrayList<>();
        List<Class<? extends EventHandlers>> classes = manager.getExtensionClasses(EventHandlers.class, id);
        if (classes.isEmpty()) {
            throw new PluginLoadException(source, "plugin '" + id + "' has no @Extension implementing "
                    + EventHandlers.class.getName(), null);
        }
        for (Class<? extends EventHandlers> c : classes) {
            EventHandlers ext;
            try {
                ext = guice.create(c);
            } catch (RuntimeException | LinkageError e) {
                throw new PluginLoadException(source, "cannot create " + c.getName() + ": " + describe(rootCause(e)), e);
            }
            List<Handler<?>> list = ext.handlers();
            if (list == null || list.isEmpty()) {
                throw new PluginLoadException(source, c.getName() + ".handlers() returned no handlers", null);
            }
            handlers.addAll(list);
        }
        return handlers;
    }

    private void unloadNow(String id) {
        Loaded l = loaded.remove(id);
        if (l == null) {
            return;
        }
        registry.hold(id);
        try {
            if (!registry.awaitIdle(id, drainTimeout)) {
                log.warn("plugin {}: processors still running after {} ms; unloading anyway", id, drainTimeout.toMillis());
            }
            registry.unregister(id);
            discard(id);
            staging.discard(l.staged());
            log.info("plugin {} {} unloaded ({})", id, l.version(), l.source());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            registry.release(id);
        }
    }

    /** Removes a plugin from PF4J and drops everything of it the daemon held. */
    private void discard(String id) {
        if (id == null) {
            return;
        }
        ClassLoader cl = manager.getPlugin(id) == null ? null : manager.getPluginClassLoader(id);
        if (cl != null) {
            guice.release(cl);
        }
        try {
            if (manager.getPlugin(id) != null) {
                manager.unloadPlugin(id);
            }
        } catch (RuntimeException e) {
            log.warn("plugin {}: unload failed: {}", id, describe(e));
        }
        threadsLeftBy(cl, id);
    }

    /** Reports threads a plugin started and left running: they pin its class loader. */
    private static void threadsLeftBy(ClassLoader cl, String id) {
        if (cl == null) {
            return;
        }
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && t.getContextClassLoader() == cl) {
                log.warn("plugin {} left thread '{}' running after unload; it keeps the plugin's classes in memory",
                        id, t.getName());
            }
        }
    }

    private void resyncDomains(String id) {
        List<TableEntry> entries = registry.table().entries().stream().filter(e -> e.pluginId().equals(id)).toList();
        domains.resyncActive(entries, ResyncReason.PLUGIN_LOADED);
    }

    /**
     * A plugin's own mapper. QEMU adds fields to events across versions, so unknown ones are ignored; and it
     * gets a type cache of its own, since Jackson's default one is shared by every mapper and would keep the
     * plugin's classes (and class loader) alive after unload.
     */
    static ObjectMapper mapperFor() {
        ObjectMapper m = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        LookupCache<Object, JavaType> cache = new LRUMap<>(16, 200);
        m.setTypeFactory(m.getTypeFactory().withCache(cache));
        return m;
    }

    private PluginSettings settingsFor(String id, ObjectMapper mapper) {
        return new MapPluginSettings(id == null ? Map.of() : settings.getOrDefault(id, Map.of()), mapper);
    }

    static List<String> events(List<Handler<?>> handlers) {
        return handlers.stream().map(Handler::event).distinct().sorted().toList();
    }

    static String describe(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    private static Throwable rootCause(Throwable e) {
        Throwable c = e;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c;
    }

    private <T> T call(Callable<T> task) {
        try {
            return owner.submit(task).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the plugin manager", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(c.getMessage(), c);
        }
    }

    @Override
    public void close() {
        synchronized (watchers) {
            for (AutoCloseable w : watchers) {
                try {
                    w.close();
                } catch (Exception e) {
                    log.debug("closing watcher", e);
                }
            }
            watchers.clear();
        }
        call(() -> {
            for (String id : List.copyOf(loaded.keySet())) {
                unloadNow(id);
            }
            return null;
        });
        owner.shutdown();
        staging.close();
    }
}
