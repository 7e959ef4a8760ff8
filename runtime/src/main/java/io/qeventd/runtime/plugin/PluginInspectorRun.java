package io.qeventd.runtime.plugin;

import io.qeventd.api.EventHandlers;
import io.qeventd.api.Handler;
import io.qeventd.runtime.plugin.PluginInspection.Dependency;
import io.qeventd.runtime.plugin.PluginInspection.HandlerInfo;
import io.qeventd.runtime.plugin.PluginInspector.AvailablePlugin;
import io.qeventd.runtime.plugin.PluginInspectorArchive.DescriptorSource;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.UndeclaredThrowableException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.pf4j.CompoundPluginDescriptorFinder;
import org.pf4j.DefaultVersionManager;
import org.pf4j.ExtensionFactory;
import org.pf4j.ManifestPluginDescriptorFinder;
import org.pf4j.PluginDependency;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;
import org.pf4j.PropertiesPluginDescriptorFinder;
import org.pf4j.VersionManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One inspection of one plugin file, step by step; collects what it learns and every reason against the
 * plugin. Runs on the inspector's worker thread, while the caller may read the result at a deadline.
 */
final class PluginInspectorRun {
    private static final Logger log = LoggerFactory.getLogger(PluginInspectorRun.class);
    private static final Pattern EXACT_VERSION = Pattern.compile("\\d+\\.\\d+\\.\\d+");
    private static final Pattern EVENT_NAME = Pattern.compile("[A-Z][A-Z0-9_]*");
    private static final List<String> FRAMEWORK_PACKAGES = List.of("java.", "javax.", "jdk.", "sun.", "com.sun.",
            "org.pf4j.", "io.qeventd.runtime.", "io.qeventd.api.");

    private final Path file;
    private final List<AvailablePlugin> available;
    private final String apiVersion;
    private final ExtensionFactory extensionFactory;
    private final VersionManager versions = new DefaultVersionManager();

    // Written by the worker, read by the caller at a deadline: guarded by this run's lock.
    private final List<String> problems = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private final List<HandlerInfo> handlers = new ArrayList<>();
    private final List<Dependency> dependencies = new CopyOnWriteArrayList<>();
    private volatile String id;
    private volatile String version;
    private volatile String requires;
    private volatile Path work;
    private volatile Path copy;
    private boolean abandoned;

    PluginInspectorRun(Path file, List<AvailablePlugin> available, String apiVersion,
                       ExtensionFactory extensionFactory) {
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

    private synchronized void handler(HandlerInfo handler) {
        if (!abandoned) {
            handlers.add(handler);
        }
    }

    synchronized PluginInspection result() {
        return new PluginInspection(file, id, version, requires, dependencies, handlers, problems, warnings);
    }

    /**
     * Ends the inspection from the caller's side (deadline passed, caller interrupted): adds the reason and
     * returns the result as it stands; whatever the worker still finds is ignored.
     */
    synchronized PluginInspection abandon(String reason) {
        problem(reason);
        abandoned = true;
        return result();
    }

    /** Copies the file into {@code work}, checks it there, and deletes {@code work} whatever happens. */
    PluginInspection call(Path workDirectory) {
        work = workDirectory;
        try {
            Path candidate = Files.createDirectory(work.resolve("candidate"));
            copy = candidate.resolve(file.getFileName().toString());
            Files.copy(file, copy);
            PluginInspectorArchive archive = readArchive();
            PluginDescriptor descriptor = archive == null ? null : readDescriptor(archive);
            if (descriptor != null) {
                checkDescriptor(descriptor, archive.descriptorSource());
                if (problems.isEmpty()) {
                    exercise(archive, descriptor);
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
            problem("has a " + source.file + " PF4J cannot read: " + describe(e));
            return null;
        }
    }

    private void checkDescriptor(PluginDescriptor d, DescriptorSource source) {
        id = d.getPluginId();
        version = d.getVersion();
        requires = d.getRequires();
        for (PluginDependency dep : d.getDependencies()) {
            dependencies.add(new Dependency(dep.getPluginId(), dep.getPluginVersionSupport(), dep.isOptional()));
        }
        if (id == null || id.isBlank()) {
            problem(source.idKey + " is missing in its " + source.file);
        }
        if (version == null || version.isBlank()) {
            problem(source.versionKey + " is missing in its " + source.file);
        } else if (!isVersion(version)) {
            problem(source.versionKey + " '" + version + "' is not a semantic version such as 1.0.0");
        }
        checkRequires(source);
        checkDependencies(d, source);
    }

    private void checkRequires(DescriptorSource source) {
        String expression = requires == null ? "" : requires.trim();
        if (expression.isEmpty() || expression.equals("*")) {
            warning("declares no " + source.requiresKey + ", so nothing stops it loading into an api it was not"
                    + " built for (declare e.g. >=" + apiVersion + ")");
            return;
        }
        // PF4J reads a bare version as a minimum, not an exact match (exact versions are not allowed).
        String effective = EXACT_VERSION.matcher(expression).matches() ? ">=" + expression : expression;
        try {
            if (!versions.checkVersionConstraint(apiVersion, effective)) {
                problem(source.requiresKey + " '" + requires + "' is not satisfied by this daemon's api version "
                        + apiVersion);
            }
        } catch (RuntimeException e) {
            problem(source.requiresKey + " '" + requires + "' is not a version expression such as >=" + apiVersion
                    + " (" + describe(e) + ")");
        }
    }

    private void checkDependencies(PluginDescriptor d, DescriptorSource source) {
        Map<String, AvailablePlugin> others = availableOthers();
        for (PluginDependency dep : d.getDependencies()) {
            String depId = dep.getPluginId();
            String wanted = depId + "@" + dep.getPluginVersionSupport();
            if (depId.equals(id)) {
                problem(source.dependenciesKey + " names the plugin itself (" + wanted + ")");
                continue;
            }
            AvailablePlugin there = others.get(depId);
            if (there == null) {
                if (!dep.isOptional()) {
                    problem("depends on " + wanted + ", which is not available" + describeAvailable(others));
                }
                continue;
            }
            try {
                if (!versions.checkVersionConstraint(there.version(), dep.getPluginVersionSupport())
                        && !dep.isOptional()) {
                    problem("depends on " + wanted + ", but " + depId + " " + there.version() + " is available");
                }
            } catch (RuntimeException e) {
                problem(source.dependenciesKey + " entry " + wanted + " has no valid version expression ("
                        + describe(e) + ")");
            }
        }
    }

    private Map<String, AvailablePlugin> availableOthers() {
        Map<String, AvailablePlugin> byId = new LinkedHashMap<>();
        for (AvailablePlugin a : available) {
            if (!a.id().equals(id)) {
                byId.putIfAbsent(a.id(), a);
            }
        }
        return byId;
    }

    private static String describeAvailable(Map<String, AvailablePlugin> others) {
        if (others.isEmpty()) {
            return " (no other plugins are available)";
        }
        return others.values().stream().map(a -> a.id() + " " + a.version())
                .collect(Collectors.joining(", ", " (available: ", ")"));
    }

    private boolean isVersion(String text) {
        try {
            versions.compareVersions(text, text);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Loads, starts, asks for handlers and stops the plugin in a throwaway manager, then unloads all. */
    private void exercise(PluginInspectorArchive archive, PluginDescriptor descriptor) throws IOException {
        Path dependencyRoot = Files.createDirectory(work.resolve("dependencies"));
        PluginInspectorManager manager = new PluginInspectorManager(dependencyRoot, apiVersion);
        try {
            provideDependencies(manager, dependencyRoot, descriptor);
            String pluginId;
            try {
                pluginId = manager.loadPlugin(copy);
            } catch (RuntimeException | LinkageError e) {
                problem("PF4J cannot load it: " + describe(e));
                return;
            }
            PluginWrapper plugin = manager.getPlugin(pluginId);
            if (plugin.getPluginState() == PluginState.DISABLED) {
                problem("PF4J disabled it: " + describe(plugin.getFailedException()));
                return;
            }
            Thread thread = Thread.currentThread();
            ClassLoader previous = thread.getContextClassLoader();
            // Libraries the plugin starts (Jackson, Guice) look for its classes through this loader.
            thread.setContextClassLoader(plugin.getPluginClassLoader());
            try {
                boolean started = start(manager, plugin);
                exerciseExtensions(manager, plugin, archive);
                if (started) {
                    stop(manager, plugin);
                }
            } finally {
                thread.setContextClassLoader(previous);
            }
        } finally {
            unloadAll(manager);
        }
    }

    /**
     * Puts the plugins the candidate depends on (and theirs, for real files) into the manager's root: a
     * real copy where a file is known, otherwise a stand-in with only the id and version.
     */
    private void provideDependencies(PluginInspectorManager manager, Path root, PluginDescriptor descriptor)
            throws IOException {
        Map<String, AvailablePlugin> others = availableOthers();
        Deque<String> wanted = new ArrayDeque<>();
        descriptor.getDependencies().forEach(dep -> wanted.add(dep.getPluginId()));
        Set<String> seen = new HashSet<>();
        int provided = 0;
        while (!wanted.isEmpty()) {
            AvailablePlugin dep = others.get(wanted.pop());
            if (dep == null || !seen.add(dep.id())) {
                continue;
            }
            provided++;
            if (dep.file() == null) {
                writeStandIn(Files.createDirectory(root.resolve("stand-in-" + provided)), dep);
                continue;
            }
            Path depCopy = root.resolve("dependency-" + provided + "-" + dep.file().getFileName());
            Files.copy(dep.file(), depCopy);
            try {
                new CompoundPluginDescriptorFinder().add(new PropertiesPluginDescriptorFinder())
                        .add(new ManifestPluginDescriptorFinder()).find(depCopy)
                        .getDependencies().forEach(d -> wanted.add(d.getPluginId()));
            } catch (RuntimeException e) {
                log.debug("No descriptor in dependency {}; PF4J reports it when loading", dep.file(), e);
            }
        }
        if (provided > 0) {
            manager.tolerateUnresolved(true); // a dependency that fails shows up as the candidate's problem
            try {
                manager.loadPlugins();
            } finally {
                manager.tolerateUnresolved(false);
            }
        }
    }

    private static void writeStandIn(Path directory, AvailablePlugin dep) throws IOException {
        Properties p = new Properties();
        p.setProperty(PropertiesPluginDescriptorFinder.PLUGIN_ID, dep.id());
        p.setProperty(PropertiesPluginDescriptorFinder.PLUGIN_VERSION, dep.version());
        try (OutputStream out = Files.newOutputStream(directory.resolve("plugin.properties"))) {
            p.store(out, "stands in for an available plugin while another is checked");
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
        try {
            if (manager.stopPlugin(plugin.getPluginId()) == PluginState.FAILED) {
                problem("did not stop: " + plugin.getDescriptor().getPluginClass() + ".stop() threw "
                        + describe(plugin.getFailedException()));
            }
        } catch (RuntimeException | LinkageError e) {
            problem("did not stop: " + plugin.getDescriptor().getPluginClass() + ".stop() threw " + describe(e));
        }
    }

    private void exerciseExtensions(PluginInspectorManager manager, PluginWrapper plugin,
                                    PluginInspectorArchive archive) {
        if (!archive.hasIndex()) {
            warning("has no " + archive.format().indexEntry() + ", so PF4J finds no extensions in it (compile it"
                    + " with PF4J on the annotation processor path); it contributes no handlers");
            return;
        }
        ClassLoader loader = plugin.getPluginClassLoader();
        int eventHandlerClasses = 0;
        for (String name : new TreeSet<>(manager.getExtensionClassNames(plugin.getPluginId()))) {
            Class<?> type;
            try {
                type = Class.forName(name, false, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                problem("extension " + name + " (listed in its extension index) cannot be loaded: " + describe(e));
                continue;
            }
            if (!EventHandlers.class.isAssignableFrom(type)) {
                if (implementsByName(type, EventHandlers.class.getName())) {
                    problem("extension " + name + " implements its own copy of " + EventHandlers.class.getName()
                            + ": the plugin bundles qeventd-api, which must be a 'provided' dependency");
                }
                continue; // another extension point (e.g. PluginModule): not ours to check here
            }
            eventHandlerClasses++;
            collectHandlers(name, type);
        }
        if (eventHandlerClasses == 0) {
            warning("contributes no handlers: no class in its extension index implements "
                    + EventHandlers.class.getName());
        }
    }

    private void collectHandlers(String name, Class<?> type) {
        Object extension;
        try {
            extension = extensionFactory.create(type);
        } catch (RuntimeException | LinkageError e) {
            problem("extension " + name + " could not be created: " + describe(e));
            return;
        }
        if (extension == null) {
            problem("extension " + name + " could not be created: the extension factory returned null");
            return;
        }
        List<Handler<?>> list;
        try {
            list = ((EventHandlers) extension).handlers();
        } catch (RuntimeException | LinkageError e) {
            problem(name + ".handlers() threw " + describe(e));
            return;
        }
        if (list == null) {
            problem(name + ".handlers() returned null instead of a list of handlers");
            return;
        }
        if (list.isEmpty()) {
            problem(name + ".handlers() returned no handlers; an EventHandlers extension must add at least one");
            return;
        }
        for (int i = 0; i < list.size(); i++) {
            Handler<?> h = list.get(i);
            if (h == null) {
                problem(name + ".handlers() returned null at index " + i);
                continue;
            }
            String event = h.event();
            if (!h.isForEveryEvent() && (event == null || !EVENT_NAME.matcher(event).matches())) {
                problem(name + ".handlers() returned a handler for '" + event + "', which is not a QMP event name");
                continue;
            }
            String typeName;
            try {
                typeName = h.type().name();
            } catch (RuntimeException | LinkageError e) {
                problem(name + ": the event type of its " + event + " handler has no usable name: " + describe(e));
                continue;
            }
            if (typeName == null || typeName.isBlank()) {
                problem(name + ": the event type of its " + event + " handler has an empty name");
                continue;
            }
            handler(new HandlerInfo(event, typeName, h.payloadType().getName(), h.coalesceKey() != null,
                    h.order(), name));
        }
    }

    private static boolean implementsByName(Class<?> type, String interfaceName) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            Deque<Class<?>> interfaces = new ArrayDeque<>(List.of(c.getInterfaces()));
            while (!interfaces.isEmpty()) {
                Class<?> i = interfaces.pop();
                if (i.getName().equals(interfaceName)) {
                    return true;
                }
                Collections.addAll(interfaces, i.getInterfaces());
            }
        }
        return false;
    }

    /** Unloads every plugin (closing its class loader); a plugin failing to stop does not stop the rest. */
    private static void unloadAll(PluginInspectorManager manager) {
        for (PluginWrapper w : manager.getPlugins()) {
            if (manager.getPlugin(w.getPluginId()) == null) {
                continue; // went with a plugin it depends on
            }
            try {
                manager.unloadPlugin(w.getPluginId());
            } catch (RuntimeException | LinkageError e) {
                log.debug("Unloading {} after its check failed", w.getPluginId(), e);
            }
        }
        for (PluginWrapper left : manager.getPlugins()) {
            if (left.getPluginClassLoader() instanceof Closeable closeable) {
                try {
                    closeable.close();
                } catch (IOException e) {
                    log.debug("Closing the class loader of {}", left.getPluginId(), e);
                }
            }
        }
    }

    /** Messages about the private copy name the file the caller gave. */
    private String ownPaths(String text) {
        String out = text;
        if (copy != null) {
            out = out.replace(copy.toString(), file.toString());
        }
        if (work != null) {
            out = out.replace(work.toString(), "(private copy)");
        }
        return out;
    }

    /**
     * One line for an exception and its causes, skipping wrappers that add nothing, ending with where in
     * the plugin's own code the innermost one was thrown.
     */
    static String describe(Throwable t) {
        if (t == null) {
            return "no reason given";
        }
        List<String> parts = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Throwable innermost = t;
        for (Throwable c = t; c != null && seen.add(c) && parts.size() < 5; c = c.getCause()) {
            innermost = c;
            if (isBareWrapper(c)) {
                continue;
            }
            String message = c.getMessage();
            parts.add(c.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message));
        }
        return String.join("; caused by ", parts) + pluginFrame(innermost.getStackTrace());
    }

    private static boolean isBareWrapper(Throwable t) {
        if (t instanceof InvocationTargetException || t instanceof UndeclaredThrowableException
                || t instanceof ExecutionException) {
            return t.getCause() != null;
        }
        Throwable cause = t.getCause();
        return cause != null && (t.getMessage() == null || t.getMessage().equals(cause.toString()));
    }

    /** {@code " at Frame"} for the first frame in neither the JDK, PF4J nor qeventd, or "". */
    static String pluginFrame(StackTraceElement[] stack) {
        for (StackTraceElement frame : stack) {
            String className = frame.getClassName();
            if (FRAMEWORK_PACKAGES.stream().noneMatch(className::startsWith)) {
                return " at " + frame;
            }
        }
        return "";
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
