package io.qeventd.runtime.plugin;

import static io.qeventd.runtime.plugin.PluginInspectorFailures.describe;

import io.qeventd.runtime.plugin.PluginInspection.Dependency;
import io.qeventd.runtime.plugin.PluginInspection.HandlerInfo;
import io.qeventd.runtime.plugin.PluginInspector.AvailablePlugin;
import io.qeventd.runtime.plugin.PluginInspectorArchive.DescriptorSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.pf4j.ExtensionFactory;
import org.pf4j.ManifestPluginDescriptorFinder;
import org.pf4j.PluginDependency;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One inspection of one plugin file, step by step, and the findings so far. The steps run on the
 * inspector's worker thread; the caller may take the findings at a deadline ({@link #abandon}), after
 * which the worker's further findings are ignored.
 */
final class PluginInspectorRun {
    private static final Logger log = LoggerFactory.getLogger(PluginInspectorRun.class);

    private final Path file;
    private final List<AvailablePlugin> available;
    private final String apiVersion;
    private final ExtensionFactory extensionFactory;
    private final boolean checkReferences;

    // Written by the worker, read by the caller: guarded by this run's lock.
    private final List<String> problems = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private final List<HandlerInfo> handlers = new ArrayList<>();
    private final List<Dependency> dependencies = new ArrayList<>();
    private String id;
    private String version;
    private String requires;
    private boolean abandoned;

    // Worker only, but read by ownPaths() from either side.
    private volatile Path work;
    private volatile Path copy;

    PluginInspectorRun(Path file, List<AvailablePlugin> available, String apiVersion,
                       ExtensionFactory extensionFactory, boolean checkReferences) {
        this.checkReferences = checkReferences;
        this.file = file;
        this.available = available;
        this.apiVersion = apiVersion;
        this.extensionFactory = extensionFactory;
    }

    Path file() {
        return file;
    }

    synchronized void problem(String text) {
        if (!abandoned) {
            problems.add(file + ": " + ownPaths(text));
        }
    }

    synchronized void warning(String text) {
        if (!abandoned) {
            warnings.add(file + ": " + ownPaths(text));
        }
    }

    synchronized void handler(HandlerInfo handler) {
        if (!abandoned) {
            handlers.add(handler);
        }
    }

    synchronized PluginInspection result() {
        return new PluginInspection(file, id, version, requires, dependencies, handlers, problems, warnings);
    }

    /** Ends the inspection from the caller's side: adds the reason and returns the findings as they stand. */
    synchronized PluginInspection abandon(String reason) {
        problem(reason);
        abandoned = true;
        return result();
    }

    /** Copies the file into {@code workDirectory}, checks the copy, and deletes the directory at the end. */
    PluginInspection call(Path workDirectory) {
        work = workDirectory;
        try {
            copy = Files.createDirectory(work.resolve("candidate")).resolve(file.getFileName().toString());
            Files.copy(file, copy);
            PluginInspectorArchive archive = readArchive();
            PluginDescriptor descriptor = archive == null ? null : readDescriptor(archive);
            if (descriptor != null) {
                record(descriptor);
                new PluginInspectorDescriptor(apiVersion, this).check(descriptor, archive.descriptorSource(),
                        availableOthers(descriptor.getPluginId()));
                if (!hasProblems()) {
                    checkExitCalls(archive);
                }
                if (!hasProblems()) {
                    if (checkReferences) {
                        checkReferences(archive, descriptor);
                    }
                    exercise(archive, descriptor);
                    checkHandlers();
                }
            }
        } catch (IOException e) {
            problem("could not be copied for checking: " + e);
        } catch (RuntimeException | LinkageError e) {
            log.error("Checking {} failed unexpectedly", file, e);
            problem("could not be checked: " + describe(e));
        } finally {
            deleteTree(work);
        }
        return result();
    }

    /** A plugin whose bytecode can end the JVM is refused before any of its code runs (its start, its constructors). */
    private void checkExitCalls(PluginInspectorArchive archive) throws IOException {
        for (String call : PluginInspectorReferences.exitCalls(copy, archive.format())) {
            problem("calls " + call + ": a plugin must not end the daemon (throw an exception instead; the daemon"
                    + " records it and goes on)");
        }
    }

    /** Every class the plugin's bytecode uses must resolve in the daemon, or the first use fails at run time. */
    private void checkReferences(PluginInspectorArchive archive, PluginDescriptor descriptor) throws IOException {
        List<Path> dependencies = new ArrayList<>();
        for (PluginDependency dep : descriptor.getDependencies()) {
            AvailablePlugin a = availableOthers(descriptor.getPluginId()).get(dep.getPluginId());
            if (a != null && a.file() != null) {
                dependencies.add(a.file());
            }
        }
        for (String missing : PluginInspectorReferences.missing(copy, archive.format(), dependencies,
                PluginInspectorRun.class.getClassLoader())) {
            problem(missing + ": bundle the library that has it in the plugin (the qeventd plugin parent"
                    + " bundles compile-scope dependencies into the jar)");
        }
    }

    /** A plugin without handlers does nothing; handlers for events QEMU never sends are likely typos. */
    private void checkHandlers() {
        List<HandlerInfo> found;
        synchronized (this) {
            if (!problems.isEmpty()) {
                return;
            }
            found = List.copyOf(handlers);
        }
        if (found.isEmpty()) {
            problem("contributes no handlers: it has no @Extension implementing io.qeventd.api.EventHandlers whose"
                    + " handlers() returns at least one handler");
            return;
        }
        for (HandlerInfo h : found) {
            if (!"*".equals(h.event()) && !QemuEventNames.isKnown(h.event())) {
                warning(h.extension() + " handles " + h.event() + ", which is not an event of "
                        + QemuEventNames.source() + QemuEventNames.closest(h.event())
                                .map(n -> "; did you mean " + n + "?").orElse("")
                        + " (as written, the handler never runs)");
            }
        }
    }

    private synchronized boolean hasProblems() {
        return !problems.isEmpty();
    }

    private synchronized void record(PluginDescriptor d) {
        id = d.getPluginId();
        version = d.getVersion();
        requires = d.getRequires();
        for (PluginDependency dep : d.getDependencies()) {
            dependencies.add(new Dependency(dep.getPluginId(), dep.getPluginVersionSupport(), dep.isOptional()));
        }
    }

    private PluginInspectorArchive readArchive() {
        PluginInspectorArchive.Format format = PluginInspectorArchive.Format.of(copy);
        String kind = format == PluginInspectorArchive.Format.ZIP ? "zip" : "jar";
        try {
            return PluginInspectorArchive.read(copy, format);
        } catch (IOException e) {
            problem("is not a readable " + kind + " (" + e.getMessage() + "): the file is damaged or was not"
                    + " completely copied");
            return null;
        }
    }

    private PluginDescriptor readDescriptor(PluginInspectorArchive archive) {
        DescriptorSource source = archive.descriptorSource();
        if (source == null) {
            problem("has no plugin descriptor: neither a plugin.properties nor a " + archive.format().manifestEntry()
                    + " with " + ManifestPluginDescriptorFinder.PLUGIN_ID + " (the build must set the Plugin-*"
                    + " manifest entries)");
            return null;
        }
        try {
            return archive.descriptor();
        } catch (RuntimeException e) {
            problem("has a " + source.file + " that cannot be read: " + describe(e));
            return null;
        }
    }

    /** The available plugins other than the candidate itself (an older version of it may be running). */
    private Map<String, AvailablePlugin> availableOthers(String candidateId) {
        Map<String, AvailablePlugin> byId = new LinkedHashMap<>();
        for (AvailablePlugin a : available) {
            if (!a.id().equals(candidateId)) {
                byId.putIfAbsent(a.id(), a);
            }
        }
        return byId;
    }

    /** Loads, starts, asks for handlers and stops the plugin in a throwaway manager, then unloads all. */
    private void exercise(PluginInspectorArchive archive, PluginDescriptor descriptor) throws IOException {
        PluginInspectorManager manager = new PluginInspectorManager(
                Files.createDirectory(work.resolve("dependencies")), apiVersion);
        try {
            manager.loadDependencies(descriptor.getDependencies().stream().map(PluginDependency::getPluginId)
                    .collect(Collectors.toList()), availableOthers(descriptor.getPluginId()));
            String pluginId;
            try {
                pluginId = manager.loadPlugin(copy);
            } catch (RuntimeException | LinkageError e) {
                problem("cannot be loaded: " + describe(e));
                return;
            }
            PluginWrapper plugin = manager.getPlugin(pluginId);
            if (plugin.getPluginState() == PluginState.DISABLED) {
                problem("was disabled while loading: " + describe(plugin.getFailedException()));
                return;
            }
            Thread thread = Thread.currentThread();
            ClassLoader previous = thread.getContextClassLoader();
            // Libraries the plugin starts (Jackson, Guice) look for its classes through this loader.
            thread.setContextClassLoader(plugin.getPluginClassLoader());
            try {
                boolean started = start(manager, plugin);
                if (archive.hasIndex()) {
                    new PluginInspectorExtensions(extensionFactory, this)
                            .check(manager.getExtensionClassNames(pluginId), plugin.getPluginClassLoader());
                } else {
                    problem("has no " + archive.format().indexEntry() + ", the list of its @Extension classes, so"
                            + " qeventd finds no handlers in it: build it with the qeventd plugin parent, whose"
                            + " compiler runs the extension index processor");
                }
                if (started) {
                    stop(manager, plugin);
                }
            } finally {
                thread.setContextClassLoader(previous);
            }
        } finally {
            manager.unloadAll();
        }
    }

    private boolean start(PluginInspectorManager manager, PluginWrapper plugin) {
        PluginState state;
        try {
            state = manager.startPlugin(plugin.getPluginId());
        } catch (RuntimeException | LinkageError e) {
            problem("did not start: " + describe(e));
            return false;
        }
        if (state == PluginState.STARTED) {
            return true;
        }
        List<String> failedDependencies = new ArrayList<>();
        for (PluginDependency dep : plugin.getDescriptor().getDependencies()) {
            PluginWrapper w = manager.getPlugin(dep.getPluginId());
            if (w != null && w.getPluginState() == PluginState.FAILED) {
                failedDependencies.add(dep.getPluginId() + " failed: " + describe(w.getFailedException()));
            }
        }
        // PF4J catches what start() throws and keeps it in the plugin's state.
        Throwable failure = plugin.getFailedException();
        if (!failedDependencies.isEmpty()) {
            problem("did not start because a dependency did not: " + String.join("; ", failedDependencies));
        } else if (failure instanceof PluginInspectorManager.PluginCreationException) {
            problem("did not start: " + describe(failure));
        } else {
            problem("did not start: " + plugin.getDescriptor().getPluginClass() + ".start() threw "
                    + describe(failure));
        }
        return false;
    }

    private void stop(PluginInspectorManager manager, PluginWrapper plugin) {
        String threw = "did not stop: " + plugin.getDescriptor().getPluginClass() + ".stop() threw ";
        try {
            if (manager.stopPlugin(plugin.getPluginId()) == PluginState.FAILED) {
                problem(threw + describe(plugin.getFailedException()));
            }
        } catch (RuntimeException | LinkageError e) {
            problem(threw + describe(e)); // PF4J passes on all but its own exception type
        }
    }

    /** Messages about the private copy name the file the caller gave. */
    private String ownPaths(String text) {
        String out = text;
        Path c = copy;
        Path w = work;
        if (c != null) {
            out = out.replace(c.toString(), file.toString());
        }
        if (w != null) {
            out = out.replace(w.toString(), "(private copy)");
        }
        return out;
    }

    private static void deleteTree(Path root) {
        if (root == null) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            log.warn("Cannot delete the private copy {} of a checked plugin: {}", root, e.toString());
        }
    }
}
