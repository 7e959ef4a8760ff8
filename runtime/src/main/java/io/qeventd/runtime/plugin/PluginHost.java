package io.qeventd.runtime.plugin;

import com.fasterxml.jackson.databind.DeserializationFeature;
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
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
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
 * The one owner of the PF4J manager, which is not thread safe: every load, unload and reload runs on
 * its single "plugin-manager" thread. It turns loaded plugins into event-table entries.
 *
 * <p>Jars are copied into a staging directory before they are loaded, so a user replacing or deleting
 * the file in the plugins directory never pulls a jar out from under a live class loader.
 */
public final class PluginHost implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PluginHost.class);

    private final HandlerRegistry registry;
    private final DomainRegistry domains;
    private final Map<String, Map<String, Object>> settings;
    private final Path staging;
    private final Duration drainTimeout;
    private final QeventdPluginManager manager;
    private final ExecutorService owner = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "plugin-manager");
        t.setDaemon(true);
        return t;
    });

    /** Loaded plugins by id, and failures by source file; touched only on the owner thread. */
    private final Map<String, Loaded> loaded = new LinkedHashMap<>();
    private final Map<Path, PluginStatus> failed = new LinkedHashMap<>();

    private record Loaded(String id, String version, Path source, Path staged, List<Handler<?>> handlers, int reloads) {
    }

    public PluginHost(HandlerRegistry registry, DomainRegistry domains, HostNetwork host,
                      Map<String, Map<String, Object>> settings, Path staging, RuntimeMode mode, Duration drainTimeout) {
        this.registry = registry;
        this.domains = domains;
        this.settings = settings;
        this.staging = staging;
        this.drainTimeout = drainTimeout;
        try {
            Files.createDirectories(staging);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create plugin staging directory " + staging, e);
        }
        this.manager = new QeventdPluginManager(List.of(staging), mode);
        manager.guice().services(host, id -> settingsFor(id, mapperFor()));
    }

    /** Loads every plugin jar and zip (or, in development mode, every plugin project) in a directory. */
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

    /** Every loaded or failed plugin. */
    public List<PluginStatus> status() {
        return call(() -> {
            List<PluginStatus> out = new ArrayList<>();
            for (Loaded l : loaded.values()) {
                out.add(new PluginStatus(l.id(), l.version(), "started", l.source(), events(l.handlers()), l.reloads(),
                        null));
            }
            out.addAll(failed.values());
            return out;
        });
    }

    private List<Path> candidates(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("plugins directory " + dir + " does not exist");
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> manager.getRuntimeMode() == RuntimeMode.DEVELOPMENT
                            ? Files.isDirectory(p)
                            : isPluginFile(p))
                    .sorted().toList();
        }
    }

    static boolean isPluginFile(Path p) {
        String n = p.getFileName().toString();
        return Files.isRegularFile(p) && !n.startsWith(".") && (n.endsWith(".jar") || n.endsWith(".zip"));
    }

    private PluginStatus loadNow(Path source) {
        failed.remove(source);
        String id = null;
        try {
            Path staged = stage(source);
            id = manager.loadPlugin(staged);
            PluginWrapper w = manager.getPlugin(id);
            if (loaded.containsKey(id)) {
                throw new PluginLoadException(source, "a plugin with id '" + id + "' is loaded already from "
                        + loaded.get(id).source(), null);
            }
            PluginState state = manager.startPlugin(id);
            if (state != PluginState.STARTED) {
                Throwable why = w.getFailedException();
                throw new PluginLoadException(source, "plugin '" + id + "' did not start (" + state + ")"
                        + (why == null ? "" : ": " + why), why);
            }
            List<Handler<?>> handlers = handlersOf(id, source);
            String version = w.getDescriptor().getVersion();
            ObjectMapper mapper = mapperFor();
            registry.register(new PluginHandlers(id, version, handlers, mapper, settingsFor(id, mapper)));
            loaded.put(id, new Loaded(id, version, source, staged, handlers, 0));
            log.info("plugin {} {} loaded from {}: {}", id, version, source, events(handlers));
            resyncDomains(id);
            return new PluginStatus(id, version, "started", source, events(handlers), 0, null);
        } catch (Exception | LinkageError e) {
            String reason = e instanceof PluginLoadException ? e.getMessage() : source + ": " + describe(e);
            log.error("plugin {}: {}", id == null ? source.getFileName() : id, reason);
            if (id != null && !loaded.containsKey(id)) {
                discard(id);
            }
            PluginStatus st = new PluginStatus(id == null ? source.getFileName().toString() : id, null, "failed",
                    source, List.of(), 0, reason);
            failed.put(source, st);
            return st;
        }
    }

    private List<Handler<?>> handlersOf(String id, Path source) throws PluginLoadException {
        List<Handler<?>> handlers = new ArrayList<>();
        List<Class<? extends EventHandlers>> classes = manager.getExtensionClasses(EventHandlers.class, id);
        if (classes.isEmpty()) {
            throw new PluginLoadException(source, "plugin '" + id + "' has no @Extension implementing "
                    + EventHandlers.class.getName(), null);
        }
        for (EventHandlers ext : manager.getExtensions(EventHandlers.class, id)) {
            List<Handler<?>> list = ext.handlers();
            if (list == null || list.isEmpty()) {
                throw new PluginLoadException(source, ext.getClass().getName() + ".handlers() returned no handlers", null);
            }
            handlers.addAll(list);
        }
        if (handlers.size() < classes.size()) {
            throw new PluginLoadException(source, "plugin '" + id + "': some extensions could not be created (see log)",
                    null);
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
            log.info("plugin {} {} unloaded ({})", id, l.version(), l.source());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            registry.release(id);
        }
    }

    /** Removes a plugin from PF4J and drops everything of it the daemon held. */
    private void discard(String id) {
        manager.guice().release(id);
        try {
            manager.unloadPlugin(id);
        } catch (RuntimeException e) {
            log.warn("plugin {}: unload failed: {}", id, describe(e));
        }
    }

    private void resyncDomains(String id) {
        List<TableEntry> entries = registry.table().entries().stream().filter(e -> e.pluginId().equals(id)).toList();
        domains.resyncActive(entries, ResyncReason.PLUGIN_LOADED);
    }

    private Path stage(Path source) throws IOException {
        if (Files.isDirectory(source)) {
            return source; // development mode: classes straight from the project
        }
        String hash = sha256(source).substring(0, 12);
        String name = source.getFileName().toString();
        int dot = name.lastIndexOf('.');
        Path target = staging.resolve(name.substring(0, dot) + "-" + hash + name.substring(dot));
        Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
        return target;
    }

    private static String sha256(Path p) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(md.digest(Files.readAllBytes(p)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static ObjectMapper mapperFor() {
        // QEMU adds fields to events across versions; a payload type names the ones it needs.
        return new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    private PluginSettings settingsFor(String id, ObjectMapper mapper) {
        return new MapPluginSettings(settings.getOrDefault(id, Map.of()), mapper);
    }

    static List<String> events(List<Handler<?>> handlers) {
        return handlers.stream().map(Handler::event).distinct().sorted().toList();
    }

    static String describe(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
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
        call(() -> {
            for (String id : List.copyOf(loaded.keySet())) {
                unloadNow(id);
            }
            return null;
        });
        owner.shutdown();
    }
}
