package io.qeventd.runtime.plugin;

import io.qeventd.runtime.plugin.PluginInspector.AvailablePlugin;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.pf4j.DefaultPluginManager;
import org.pf4j.Plugin;
import org.pf4j.PluginFactory;
import org.pf4j.PluginRuntimeException;
import org.pf4j.PluginStatusProvider;
import org.pf4j.PluginWrapper;
import org.pf4j.PropertiesPluginDescriptorFinder;
import org.pf4j.RuntimeMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The throwaway PF4J manager a {@link PluginInspector} loads a candidate into: rooted in a temporary
 * directory, deaf to the {@code pf4j.*} system properties that steer the daemon's own manager, and with a
 * plugin factory that throws where PF4J's default one logs and returns null (which would leave only a
 * NullPointerException as the reason a plugin failed to start).
 */
final class PluginInspectorManager extends DefaultPluginManager {
    private static final Logger log = LoggerFactory.getLogger(PluginInspectorManager.class);

    private final Path root;

    /** {@code root}: an empty directory of its own, where the dependencies it is given are put. */
    PluginInspectorManager(Path root, String systemVersion) {
        super(root);
        this.root = root;
        setSystemVersion(systemVersion);
    }

    /**
     * Loads the plugins named in {@code dependencyIds} that are {@code available}, and theirs in turn where
     * a file is given: a real copy where the file is known (so the candidate can link against its
     * classes), otherwise a stand-in with only the id and version (enough for PF4J's resolution).
     */
    void loadDependencies(Collection<String> dependencyIds, Map<String, AvailablePlugin> available)
            throws IOException {
        Deque<String> wanted = new ArrayDeque<>(dependencyIds);
        Set<String> seen = new HashSet<>();
        int provided = 0;
        while (!wanted.isEmpty()) {
            AvailablePlugin dep = available.get(wanted.pop());
            if (dep == null || !seen.add(dep.id())) {
                continue;
            }
            provided++;
            if (dep.file() == null) {
                writeStandIn(Files.createDirectory(root.resolve("stand-in-" + provided)), dep);
                continue;
            }
            Path copy = root.resolve("dependency-" + provided + "-" + dep.file().getFileName());
            Files.copy(dep.file(), copy);
            try {
                getPluginDescriptorFinder().find(copy).getDependencies().forEach(d -> wanted.add(d.getPluginId()));
            } catch (RuntimeException e) {
                log.debug("No descriptor in dependency {}; PF4J reports it when loading", dep.file(), e);
            }
        }
        if (provided > 0) {
            // A dependency that cannot be resolved is dropped; the candidate's own load then says so.
            setResolveRecoveryStrategy(ResolveRecoveryStrategy.IGNORE_PLUGIN_AND_CONTINUE);
            try {
                loadPlugins();
            } finally {
                setResolveRecoveryStrategy(ResolveRecoveryStrategy.THROW_EXCEPTION);
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

    /** Unloads every plugin and closes its class loader; one failing to stop does not keep the rest. */
    void unloadAll() {
        for (PluginWrapper w : getPlugins()) {
            if (getPlugin(w.getPluginId()) == null) {
                continue; // went with a plugin it depends on
            }
            try {
                unloadPlugin(w.getPluginId());
            } catch (RuntimeException | LinkageError e) {
                log.debug("Unloading {} after its check failed", w.getPluginId(), e);
            }
        }
        for (PluginWrapper left : getPlugins()) {
            if (left.getPluginClassLoader() instanceof Closeable closeable) {
                try {
                    closeable.close();
                } catch (IOException e) {
                    log.debug("Closing the class loader of {}", left.getPluginId(), e);
                }
            }
        }
    }

    @Override
    public RuntimeMode getRuntimeMode() {
        return RuntimeMode.DEPLOYMENT; // jars and zips, whatever -Dpf4j.mode says
    }

    @Override
    protected PluginStatusProvider createPluginStatusProvider() {
        return new PluginStatusProvider() {
            @Override
            public boolean isPluginDisabled(String pluginId) {
                return false; // no enabled.txt / disabled.txt: the candidate is checked as if enabled
            }

            @Override
            public void disablePlugin(String pluginId) {
            }

            @Override
            public void enablePlugin(String pluginId) {
            }
        };
    }

    @Override
    protected PluginFactory createPluginFactory() {
        return PluginInspectorManager::createPlugin;
    }

    /** The {@code Plugin-Class} could not be loaded or instantiated. */
    static final class PluginCreationException extends PluginRuntimeException {
        private static final long serialVersionUID = 1L;

        PluginCreationException(String message, Object... args) {
            super(message, args);
        }

        PluginCreationException(Throwable cause, String message, Object... args) {
            super(cause, message, args);
        }
    }

    /** Creates the {@code Plugin-Class} as PF4J does, but lets every failure surface with its cause. */
    private static Plugin createPlugin(PluginWrapper wrapper) {
        String name = wrapper.getDescriptor().getPluginClass();
        Class<?> type;
        try {
            type = wrapper.getPluginClassLoader().loadClass(name);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new PluginCreationException(e, "Plugin-Class {} cannot be loaded from the plugin", name);
        }
        if (!Plugin.class.isAssignableFrom(type)) {
            throw new PluginCreationException("Plugin-Class {} does not extend {}", name, Plugin.class.getName());
        }
        if (type.isInterface() || Modifier.isAbstract(type.getModifiers())) {
            throw new PluginCreationException("Plugin-Class {} is abstract", name);
        }
        try {
            try {
                return (Plugin) type.getConstructor(PluginWrapper.class).newInstance(wrapper);
            } catch (NoSuchMethodException e) {
                return (Plugin) type.getConstructor().newInstance();
            }
        } catch (InvocationTargetException e) {
            throw new PluginCreationException(e.getCause(), "the constructor of Plugin-Class {} threw", name);
        } catch (NoSuchMethodException e) {
            throw new PluginCreationException("Plugin-Class {} has no public constructor taking nothing or a"
                    + " PluginWrapper", name);
        } catch (ReflectiveOperationException e) {
            throw new PluginCreationException(e, "Plugin-Class {} cannot be instantiated", name);
        }
    }
}
