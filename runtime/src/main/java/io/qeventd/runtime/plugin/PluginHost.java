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
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
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
 * on reload as a transaction, without losing or repeating an event:
 *
 * <ol>
 *   <li>check: the new version is staged (a private copy) and checked by a {@link PluginInspector} before
 *       anything of the old version is touched; a broken new version leaves the old one as it was;</li>
 *   <li>hold: the plugin (and any plugin that depends on it) is held: its queued events stay queued, in
 *       order, and the reader goes on queueing new ones;</li>
 *   <li>drain: the old version's running processors finish. If the drain timeout passes first, the reload
 *       is aborted: the new copy is discarded, the old version stays whole, the held events run on it,
 *       and the status says why;</li>
 *   <li>load new: the old version leaves PF4J (stopped) but its class loader stays open and its entries
 *       stay in the table; the new version is loaded, started and its handlers created;</li>
 *   <li>warm: the new version's payload classes are initialised and its Jackson deserializers built, here,
 *       so that decoding never loads a class or runs a static initialiser;</li>
 *   <li>register: its entries replace the old ones in one atomic table swap;</li>
 *   <li>close old: only now is the old class loader closed (with its Guice injector dropped);</li>
 *   <li>release: the held events run on the new version, each decoded again with its types.</li>
 * </ol>
 *
 * <p>Why the close is deferred: PF4J holds one plugin per id in a manager and closes the class loader
 * inside {@code unloadPlugin}, so the old version has to leave PF4J before the new one can be loaded.
 * Its {@link QeventdClassLoader} ignores that close (it is marked deferred first) and is closed by this
 * class after the swap. Until then the old entries in the table are whole: a reader that takes the table
 * before the swap decodes with warmed decoders whose classes are all loaded, and no processor of either
 * version runs while the plugin is held. A single manager (rather than one per version) keeps PF4J's
 * dependency resolution between plugins working.
 *
 * <p>If the new version fails after the old one left PF4J (start, handlers, Guice), the old version is
 * started again from its own staged copy, and its fresh entries replace the old ones: the table holds
 * exactly the old version. If that restart fails too, the plugin's entries are removed and its row says
 * {@link PluginLifecycle#FAILED} with both reasons: no handler with a closed class loader stays behind.
 * In development mode each version is a private copy of the project's {@code target/classes} and
 * {@code target/lib}, so that restart uses the last good build, never the broken one on disk.
 *
 * <p>Jars are loaded from private copies, so a user replacing or deleting a file in the plugins
 * directory never pulls a jar out from under a live class loader. Jars and development-mode projects
 * live side by side in one manager: {@code run --dev} runs a project on top of the plugins directory.
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
    private volatile boolean closing;
    private volatile Duration closingDrain = Duration.ZERO;

    /** Loaded plugins by id, failed or refused files by source, last state by source: owner thread only. */
    private final Map<String, Loaded> loaded = new LinkedHashMap<>();
    private final Map<Path, PluginStatus> failed = new LinkedHashMap<>();
    private final Map<Path, PluginLifecycle> states = new LinkedHashMap<>();
    private final List<PluginStateListener> stateListeners = new CopyOnWriteArrayList<>();
    private volatile ReloadObserver observer = ReloadObserver.NONE;
    private volatile List<PluginStatus> snapshot = List.of();

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

    /** Tells {@code listener} of every plugin state change from now on (on the plugin-manager thread). */
    public void addStateListener(PluginStateListener listener) {
        stateListeners.add(listener);
    }

    /** Lets a test stage a race at each step of the reload protocol. */
    void observeReload(ReloadObserver o) {
        observer = o == null ? ReloadObserver.NONE : o;
    }

    /**
     * Loads every plugin in a directory: jars and zips, and in development mode also every plugin project
     * (a directory with {@code target/classes}).
     */
    public List<PluginStatus> loadDirectory(Path dir) {
        return call(() -> {
            List<PluginStatus> out = new ArrayList<>();
            for (Path p : candidates(dir)) {
                out.add(loadNow(p, null));
            }
            return out;
        });
    }

    /** Loads one plugin; a failure is reported in the result, never thrown. */
    public PluginStatus load(Path source) {
        return call(() -> loadNow(source, null));
    }

    /** Loads a new version of the plugin that came from {@code source} (or loads it, if none did). */
    public PluginStatus reload(Path source) {
        return reload(source, null);
    }

    /**
     * As {@link #reload(Path)}; {@code changedOnDisk} (when its files last changed) makes the log say how
     * long after that the new version handles events.
     */
    public PluginStatus reload(Path source, Instant changedOnDisk) {
        return call(() -> reloadNow(source, changedOnDisk));
    }

    /** Unloads the plugin loaded from {@code source}, if any. */
    public void unloadSource(Path source) {
        call(() -> {
            PluginStatus gone = failed.remove(source);
            if (gone != null) {
                changed(new PluginStatus(gone.id(), gone.version(), PluginLifecycle.UNLOADED, source, List.of(),
                        gone.reloads(), null));
            }
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

    /** How many looks the directory and project watchers have taken, for tests and status. */
    public long watcherLooks() {
        synchronized (watchers) {
            return watchers.stream().mapToLong(w -> w instanceof PluginDirectoryWatcher d ? d.lookCount()
                    : w instanceof ClassesWatcher c ? c.lookCount() : 0).sum();
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

    /**
     * Development mode: loads a plugin project after its first build and reloads it whenever its build
     * output changes; says in the log when its classes vanish and which version keeps running.
     */
    public void watchProject(Path project) {
        watchProject(project, ClassesWatcher.DEFAULT_INTERVAL);
    }

    void watchProject(Path project, Duration interval) {
        ClassesWatcher w = new ClassesWatcher(project, interval, new ClassesWatcher.Listener() {
            @Override
            public void changed(Instant at) {
                reload(project, at);
            }

            @Override
            public void vanished() {
                call(() -> {
                    Loaded l = loadedFrom(project);
                    log.warn("plugin project {}: no compiled classes in target/classes for {} s (a compile that failed,"
                            + " a clean, or a build still running); {}", project, ClassesWatcher.VANISHED_AFTER.toSeconds(),
                            l == null ? "nothing of it is loaded"
                            : l.id() + " " + l.version() + " keeps running until the next good build");
                    return null;
                });
            }
        });
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
            call(() -> {
                PluginStatus refused = new PluginStatus(name(file), null, PluginLifecycle.REFUSED, file, List.of(), 0,
                        e.getMessage());
                failed.put(file, refused);
                changed(refused);
                return null;
            });
            return false;
        }
    }

    /**
     * Every loaded, failed or refused plugin, as of the end of the last load, reload or unload: it never
     * waits for one under way (a reload may wait for a drain), so {@code qeventd status} answers at once.
     */
    public List<PluginStatus> status() {
        return snapshot;
    }

    /** Publishes what {@link #status()} answers: at each state change and at the end of every owner task. */
    private void publish() {
        List<PluginStatus> out = new ArrayList<>();
        for (Loaded l : loaded.values()) {
            out.add(statusOf(l));
        }
        out.addAll(failed.values());
        snapshot = List.copyOf(out);
    }

    // ---- owner thread from here on ----

    private List<Path> candidates(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("plugins directory " + dir + " does not exist");
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> PluginDirectoryWatcher.isPluginFileName(p.getFileName().toString())
                            && Files.isRegularFile(p)
                            || mode == RuntimeMode.DEVELOPMENT && QeventdPluginManager.isProject(p))
                    .sorted().toList();
        }
    }

    private PluginStatus loadNow(Path source, Instant changedOnDisk) {
        if (loadedFrom(source) != null) {
            return reloadNow(source, changedOnDisk);
        }
        PluginStatus before = failed.remove(source);
        // A plugin that failed after it ran (both versions of a reload failed) keeps its count.
        int reloads = before == null ? 0 : before.reloads() + (before.version() != null ? 1 : 0);
        String id = null;
        long began = System.nanoTime();
        changed(new PluginStatus(name(source), null, PluginLifecycle.CHECKING, source, List.of(), reloads, null));
        Path staged = null;
        try {
            staged = stageAndCheck(source, null);
            Version v = loadVersion(source, staged, null);
            id = v.id();
            warm(v);
            register(v);
            Loaded l = new Loaded(id, v.version(), source, staged, v.handlers(), reloads, null);
            loaded.put(id, l);
            log.info("plugin {} {} loaded from {}: {}{}", id, l.version(), source, events(l.handlers()),
                    sinceChange(changedOnDisk, began));
            changed(statusOf(l));
            resyncDomains(id);
            return statusOf(l);
        } catch (PluginLoadException | IOException | RuntimeException | LinkageError e) {
            discardUnused(staged);
            return loadFailed(source, id, null, reloads, reasonOf(source, e));
        }
    }

    /** Stages a source and checks what can be checked without loading it; returns the staged copy. */
    private Path stageAndCheck(Path source, Loaded old) throws IOException, PluginLoadException {
        if (Files.isDirectory(source) && !QeventdPluginManager.isProject(source)) {
            throw new PluginLoadException(source, "no target/classes: build the project (`mvn compile` or "
                    + "`mvn package`); it is loaded as soon as its classes appear", null);
        }
        if (Files.isDirectory(source) && !QeventdPluginManager.hasProjectDescriptor(source)) {
            throw new PluginLoadException(source, "no plugin descriptor: run `mvn package` once in the project "
                    + "(its manifest keys come from the pom), or add a plugin.properties beside its pom", null);
        }
        Path staged = staging.stage(source);
        if (Files.isDirectory(staged)) {
            return staged; // a project's build output is checked by loading it: it is all there is to check
        }
        String id = old != null ? old.id() : PluginDescriptors.peekId(staged);
        PluginInspection check = inspector(id).inspect(staged, available(old == null ? null : old.id()));
        if (!check.valid()) {
            discardUnused(staged);
            throw new PluginLoadException(source, String.join("; ", check.problems()), null);
        }
        if (old != null && !old.id().equals(check.id())) {
            discardUnused(staged);
            throw new IdChanged(check.id());
        }
        return staged;
    }

    /** A file now holds a plugin of another id than the one loaded from it. */
    private static final class IdChanged extends RuntimeException {
        IdChanged(String id) {
            super("now holds plugin " + id, null, false, false);
        }
    }

    /**
     * Loads and starts a staged copy in PF4J and creates its handlers, without touching the event table.
     * On failure nothing of it stays in PF4J.
     *
     * @param replacing the id whose old version this one replaces, or null
     */
    private Version loadVersion(Path source, Path staged, String replacing) throws PluginLoadException {
        String id = manager.loadPlugin(staged);
        try {
            if (replacing != null && !id.equals(replacing)) {
                // Only a project's descriptor can change under a reload (a jar's id is checked first).
                throw new PluginLoadException(source, "its plugin id changed from '" + replacing + "' to '" + id
                        + "'; restart the daemon to load it under the new id", null);
            }
            Loaded other = loaded.get(id);
            if (other != null && !id.equals(replacing)) {
                throw new PluginLoadException(source, "a plugin with id '" + id + "' is loaded already from "
                        + other.source(), null);
            }
            PluginWrapper w = manager.getPlugin(id);
            PluginState state = manager.startPlugin(id);
            if (state != PluginState.STARTED) {
                Throwable why = w.getFailedException();
                throw new PluginLoadException(source, "plugin '" + id + "' did not start (" + state + ")"
                        + (why == null ? "" : ": " + describe(why)), why);
            }
            return new Version(id, w.getDescriptor().getVersion(), handlersOf(id, source), mapperFor());
        } catch (PluginLoadException | RuntimeException | LinkageError e) {
            discard(id);
            throw e;
        }
    }

    /** A loaded, started plugin version whose handlers are not in the table yet. */
    private record Version(String id, String version, List<Handler<?>> handlers, ObjectMapper mapper) {
    }

    private void register(Version v) {
        registry.register(new PluginHandlers(v.id(), v.version(), v.handlers(), v.mapper(), settingsFor(v.id(), v.mapper())));
    }

    /**
     * Initialises the payload classes and builds their Jackson deserializers here, on the plugin-manager
     * thread, so that decoding an event never loads a class (from the jar, i.e. disk) or runs a static
     * initialiser, and the old version's decoders keep working for a reader that took the table just
     * before a swap after the old class loader closed. A payload type that cannot be prepared does not
     * refuse the plugin: its events then fail, each with a journal record naming the plugin.
     */
    private void warm(Version v) {
        for (Handler<?> h : v.handlers()) {
            Class<?> type = h.payloadType();
            try {
                Class.forName(type.getName(), true, type.getClassLoader());
                v.mapper().readerFor(type);
            } catch (ClassNotFoundException | RuntimeException | LinkageError e) {
                log.warn("plugin {} {}: payload type {} of {} cannot be prepared ({}); its events will fail",
                        v.id(), v.version(), type.getName(), h.event(), describe(rootCause(e)));
            }
        }
    }

    private PluginStatus loadFailed(Path source, String id, String version, int reloads, String reason) {
        log.error("plugin {} not loaded: {}", id == null ? source.getFileName() : id, reason);
        PluginStatus st = new PluginStatus(id == null ? name(source) : id, version, PluginLifecycle.FAILED, source,
                List.of(), reloads, reason);
        failed.put(source, st);
        changed(st);
        return st;
    }

    private static String reasonOf(Path source, Throwable e) {
        return e instanceof PluginLoadException ? e.getMessage() : source + ": " + describe(e);
    }

    /** Reload as a transaction: see the class comment for the steps and what each failure leaves. */
    private PluginStatus reloadNow(Path source, Instant changedOnDisk) {
        Loaded old = loadedFrom(source);
        if (old == null) {
            return loadNow(source, changedOnDisk);
        }
        long began = System.nanoTime();
        String id = old.id();
        observer.before(id, ReloadStep.CHECK);
        Path staged;
        try {
            staged = stageAndCheck(source, old);
        } catch (IdChanged e) {
            // A different plugin now lives in that file: the old one goes, the new one comes.
            unloadNow(id);
            return loadNow(source, changedOnDisk);
        } catch (IOException e) {
            return keepOld(old, source + ": cannot be read: " + e.getMessage());
        } catch (PluginLoadException | RuntimeException | LinkageError e) {
            return keepOld(old, reasonOf(source, e));
        }
        List<Loaded> dependents = dependentsOf(id).stream().map(loaded::get).filter(l -> l != null).toList();
        List<String> gated = new ArrayList<>(List.of(id));
        dependents.forEach(d -> gated.add(d.id()));
        observer.before(id, ReloadStep.HOLD);
        gated.forEach(registry::hold);
        try {
            observer.before(id, ReloadStep.DRAIN);
            for (String g : gated) {
                if (!registry.awaitIdle(g, drainTimeout)) {
                    discardUnused(staged);
                    return keepOld(old, "reload aborted: processors of " + g + " still running after "
                            + drainTimeout.toMillis() + " ms (reloadDrainTimeout); the held events run on "
                            + old.version());
                }
            }
            observer.before(id, ReloadStep.LOAD_NEW);
            // The old version leaves PF4J (which cannot hold two plugins of one id) but its class loaders stay
            // open: its entries, and those of its dependents, remain in the table until replaced.
            List<QeventdClassLoader> oldLoaders = new ArrayList<>();
            for (String g : gated) {
                if (manager.getPlugin(g) != null && manager.getPluginClassLoader(g) instanceof QeventdClassLoader cl) {
                    cl.deferClose();
                    oldLoaders.add(cl);
                }
            }
            unloadFromManager(id);
            Version next;
            String outcome;
            try {
                next = loadVersion(source, staged, id);
                observer.before(id, ReloadStep.WARM);
                warm(next);
                observer.before(id, ReloadStep.REGISTER);
                register(next);
                loaded.put(id, new Loaded(id, next.version(), source, staged, next.handlers(), old.reloads() + 1, null));
                outcome = null;
            } catch (PluginLoadException | RuntimeException | LinkageError e) {
                outcome = reasonOf(source, e);
                log.error("plugin {}: new version from {} failed after its check ({}); restarting {} from its own copy",
                        id, source, outcome, old.version());
                discardUnused(staged);
                restartOld(old, outcome);
            }
            restartDependents(dependents);
            observer.before(id, ReloadStep.CLOSE_OLD);
            for (QeventdClassLoader cl : oldLoaders) {
                closeOld(cl, id);
            }
            Loaded now = loaded.get(id);
            if (now == null) {
                return failed.get(source);
            }
            if (outcome != null) {
                return statusOf(now);
            }
            discardUnused(old.staged());
            // Counted as the hold ends: what waited when it began and what arrived while the new version loaded.
            int held = queue.queuedFor(id);
            log.info("plugin {} reloaded {} -> {} in {} ms, {} event(s) held{}", id, old.version(), now.version(),
                    (System.nanoTime() - began) / 1_000_000, held, sinceChange(changedOnDisk, began));
            changed(statusOf(now));
            resyncDomains(id);
            return statusOf(now);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            discardUnused(staged);
            return keepOld(old, "interrupted while reloading");
        } finally {
            observer.before(id, ReloadStep.RELEASE);
            gated.forEach(registry::release);
        }
    }

    /**
     * The new version failed after the old one left PF4J: the old version starts again from its own staged
     * copy and its fresh entries replace its old ones. If that fails too, nothing of the plugin stays.
     */
    private void restartOld(Loaded old, String newFailure) {
        String id = old.id();
        try {
            Version again = loadVersion(old.source(), old.staged(), id);
            warm(again);
            observer.before(id, ReloadStep.REGISTER);
            register(again);
            Loaded l = new Loaded(id, again.version(), old.source(), old.staged(), again.handlers(), old.reloads(),
                    "new version failed, " + old.version() + " kept: " + newFailure);
            loaded.put(id, l);
            log.warn("plugin {} {} keeps running (started again from its own copy); the new version failed: {}", id,
                    old.version(), newFailure);
            changed(statusOf(l));
        } catch (PluginLoadException | RuntimeException | LinkageError e) {
            registry.unregister(id);
            loaded.remove(id);
            discardUnused(old.staged());
            loadFailed(old.source(), id, old.version(), old.reloads(), "new version failed (" + newFailure + ") and "
                    + old.version() + " could not be restarted (" + reasonOf(old.source(), e)
                    + "); nothing of the plugin runs");
        }
    }

    /** PF4J stopped the dependents with the plugin they depend on: start them again, on its new version. */
    private void restartDependents(List<Loaded> dependents) {
        for (Loaded d : dependents) {
            if (manager.getPlugin(d.id()) != null) {
                continue;
            }
            try {
                Version v = loadVersion(d.source(), d.staged(), d.id());
                warm(v);
                register(v);
                loaded.put(d.id(), new Loaded(d.id(), v.version(), d.source(), d.staged(), v.handlers(), d.reloads(),
                        d.lastError()));
                log.info("plugin {} restarted after its dependency was reloaded", d.id());
            } catch (PluginLoadException | RuntimeException | LinkageError e) {
                registry.unregister(d.id());
                loaded.remove(d.id());
                loadFailed(d.source(), d.id(), d.version(), d.reloads(), "restart after its dependency was reloaded "
                        + "failed: " + reasonOf(d.source(), e));
            }
        }
    }

    private void closeOld(QeventdClassLoader cl, String id) {
        guice.release(cl);
        try {
            cl.closeDeferred();
        } catch (IOException e) {
            log.warn("plugin {}: closing its old class loader failed: {}", id, describe(e));
        }
        threadsLeftBy(cl, id);
    }

    /** Deletes a staged copy unless a loaded plugin runs from it (the same file staged twice is one copy). */
    private void discardUnused(Path staged) {
        if (staged != null && loaded.values().stream().noneMatch(l -> l.staged().equals(staged))) {
            staging.discard(staged);
        }
    }

    private PluginStatus keepOld(Loaded old, String reason) {
        log.error("plugin {}: new version from {} rejected, {} keeps running: {}", old.id(), old.source(),
                old.version(), reason);
        Loaded l = old.withError(reason.startsWith("reload aborted") ? reason : "new version rejected: " + reason);
        loaded.put(old.id(), l);
        changed(statusOf(l));
        return statusOf(l);
    }

    private static String sinceChange(Instant changedOnDisk, long began) {
        if (changedOnDisk == null) {
            return "";
        }
        long ms = Duration.between(changedOnDisk, Instant.now()).toMillis();
        return "; handling events " + ms + " ms after its classes changed on disk (load took "
                + (System.nanoTime() - began) / 1_000_000 + " ms)";
    }

    private static PluginStatus statusOf(Loaded l) {
        return new PluginStatus(l.id(), l.version(), PluginLifecycle.STARTED, l.source(), events(l.handlers()),
                l.reloads(), l.lastError());
    }

    private PluginStatus status(String id) {
        return statusOf(loaded.get(id));
    }

    /** Records a state change and tells the listeners; a refused or failed row goes once its file loads. */
    private void changed(PluginStatus now) {
        publish();
        PluginLifecycle before = states.put(now.source(), now.state());
        if (now.state() == PluginLifecycle.UNLOADED) {
            states.remove(now.source());
        }
        for (PluginStateListener l : stateListeners) {
            try {
                l.changed(now, before);
            } catch (RuntimeException e) {
                log.warn("plugin state listener failed: {}", describe(e));
            }
        }
    }

    private static String name(Path source) {
        return source.getFileName().toString();
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
        changed(new PluginStatus(id, l.version(), PluginLifecycle.UNLOADED, l.source(), events(l.handlers()),
                l.reloads(), null));
        registry.hold(id);
        try {
            boolean idle = registry.awaitIdle(id, closing ? closingDrain : drainTimeout);
            registry.unregister(id);
            if (idle) {
                discard(id);
                discardUnused(l.staged());
            } else {
                // Its file is gone, so it goes; but the processors still running keep its classes loadable.
                log.warn("plugin {}: processors still running after {} ms; unloaded, its class loader closes once"
                        + " they finish", id, drainTimeout.toMillis());
                QeventdClassLoader cl = manager.getPlugin(id) != null
                        && manager.getPluginClassLoader(id) instanceof QeventdClassLoader q ? q : null;
                if (cl != null) {
                    cl.deferClose();
                }
                unloadFromManager(id);
                closeWhenIdle(id, cl, l.staged());
            }
            log.info("plugin {} {} unloaded ({})", id, l.version(), l.source());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            registry.release(id);
        }
    }

    /** Closes a removed plugin's class loader (and deletes its copy) once its last processor returned. */
    private void closeWhenIdle(String id, QeventdClassLoader cl, Path staged) {
        Thread waiter = new Thread(() -> {
            try {
                while (!registry.awaitIdle(id, Duration.ofMinutes(1))) {
                    log.warn("plugin {}: a processor of its removed version still runs", id);
                }
                owner.execute(() -> {
                    if (cl != null) {
                        closeOld(cl, id);
                    }
                    discardUnused(staged);
                    log.info("plugin {}: the last processor of its removed version finished; its classes are released",
                            id);
                });
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (java.util.concurrent.RejectedExecutionException e) {
                log.debug("plugin {}: the daemon stopped before its removed version finished", id);
            }
        }, "plugin-close-" + id);
        waiter.setDaemon(true);
        waiter.start();
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
        unloadFromManager(id);
        threadsLeftBy(cl, id);
    }

    /** Stops and unloads a plugin in PF4J (with the plugins that depend on it, as PF4J does). */
    private void unloadFromManager(String id) {
        try {
            if (manager.getPlugin(id) != null) {
                manager.unloadPlugin(id);
            }
        } catch (RuntimeException e) {
            log.warn("plugin {}: unload failed: {}", id, describe(e));
        }
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
            return owner.submit(() -> {
                try {
                    return task.call();
                } finally {
                    publish();
                }
            }).get();
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
        close(drainTimeout);
    }

    /**
     * Unloads every plugin, waiting at most {@code drain} for each one's running processors: the daemon stops within
     * its own deadline, whatever a plugin does (its queue has stopped already; a processor still running gets no
     * longer than this).
     */
    public void close(Duration drain) {
        closingDrain = drain;
        closing = true;
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
