package io.qeventd.runtime.plugin;

import io.qeventd.api.ApiVersion;
import java.nio.file.Path;
import java.util.List;
import org.pf4j.CompoundPluginLoader;
import org.pf4j.DefaultPluginLoader;
import org.pf4j.DefaultPluginManager;
import org.pf4j.DevelopmentPluginLoader;
import org.pf4j.ExtensionFactory;
import org.pf4j.JarPluginLoader;
import org.pf4j.PluginClassLoader;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginLoader;
import org.pf4j.RuntimeMode;

/**
 * PF4J's manager as qeventd uses it: the system version is the api version (so {@code Plugin-Requires}
 * is checked against it), extensions are created by the Guice factory, class loaders share the
 * daemon's api and libraries. Not thread safe, like its parent: {@link PluginHost} serialises all calls.
 */
public class QeventdPluginManager extends DefaultPluginManager {
    private final RuntimeMode mode;
    private final DelegatingExtensionFactory extensions = new DelegatingExtensionFactory();

    public QeventdPluginManager(List<Path> roots, RuntimeMode mode, ExtensionFactory factory) {
        super(roots);
        this.mode = mode;
        extensions.target = factory;
        setSystemVersion(ApiVersion.get());
    }

    @Override
    public RuntimeMode getRuntimeMode() {
        // Called lazily by the loaders; before the constructor finished, fall back to PF4J's own choice.
        return mode != null ? mode : super.getRuntimeMode();
    }

    @Override
    protected ExtensionFactory createExtensionFactory() {
        // PF4J asks for the factory inside its constructor, before ours has run.
        return extensions;
    }

    /** The id of the plugin a class loader belongs to, or null. */
    public String pluginIdOf(ClassLoader loader) {
        for (var w : getPlugins()) {
            if (w.getPluginClassLoader() == loader) {
                return w.getPluginId();
            }
        }
        return null;
    }

    private static final class DelegatingExtensionFactory implements ExtensionFactory {
        private volatile ExtensionFactory target;

        @Override
        public <T> T create(Class<T> extensionClass) {
            return target.create(extensionClass);
        }
    }

    @Override
    protected PluginLoader createPluginLoader() {
        return new CompoundPluginLoader()
                .add(new DevelopmentPluginLoader(this) {
                    @Override
                    protected PluginClassLoader createPluginClassLoader(Path path, PluginDescriptor d) {
                        return new QeventdClassLoader(pluginManager, d, getClass().getClassLoader());
                    }
                }, this::isDevelopment)
                .add(new JarPluginLoader(this) {
                    @Override
                    protected PluginClassLoader createPluginClassLoader(Path path, PluginDescriptor d) {
                        PluginClassLoader cl = new QeventdClassLoader(pluginManager, d, getClass().getClassLoader());
                        cl.addFile(path.toFile());
                        return cl;
                    }
                }, this::isNotDevelopment)
                .add(new DefaultPluginLoader(this) {
                    @Override
                    protected PluginClassLoader createPluginClassLoader(Path path, PluginDescriptor d) {
                        return new QeventdClassLoader(pluginManager, d, getClass().getClassLoader());
                    }
                }, this::isNotDevelopment);
    }
}
