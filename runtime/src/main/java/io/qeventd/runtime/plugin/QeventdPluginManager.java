package io.qeventd.runtime.plugin;

import io.qeventd.api.ApiVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.pf4j.CompoundPluginDescriptorFinder;
import org.pf4j.CompoundPluginLoader;
import org.pf4j.DefaultPluginLoader;
import org.pf4j.DefaultPluginManager;
import org.pf4j.DevelopmentPluginLoader;
import org.pf4j.ExtensionFactory;
import org.pf4j.JarPluginLoader;
import org.pf4j.ManifestPluginDescriptorFinder;
import org.pf4j.PluginClassLoader;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginDescriptorFinder;
import org.pf4j.PluginLoader;
import org.pf4j.PropertiesPluginDescriptorFinder;
import org.pf4j.RuntimeMode;

/**
 * PF4J's manager as qeventd uses it: the system version is the api version (so {@code Plugin-Requires}
 * is checked against it), extensions are created by the given factory (Guice), class loaders share the
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
        // PF4J asks inside its own constructor, before ours has run: fall back to its choice then.
        return mode != null ? mode : super.getRuntimeMode();
    }

    @Override
    protected ExtensionFactory createExtensionFactory() {
        // Also asked for inside PF4J's constructor.
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

    @Override
    protected PluginDescriptorFinder createPluginDescriptorFinder() {
        return new CompoundPluginDescriptorFinder()
                .add(new PropertiesPluginDescriptorFinder())
                .add(new ProjectManifestFinder());
    }

    @Override
    protected PluginLoader createPluginLoader() {
        // The loader follows the path's shape, not the manager's mode, so one manager holds jars from the
        // plugins directory and projects under development side by side (`run --dev` runs on top of the
        // plugins directory).
        return new CompoundPluginLoader()
                .add(new DevelopmentPluginLoader(this) {
                    @Override
                    public boolean isApplicable(Path path) {
                        return isProject(path);
                    }

                    @Override
                    protected PluginClassLoader createPluginClassLoader(Path path, PluginDescriptor d) {
                        return new QeventdClassLoader(pluginManager, d, getClass().getClassLoader());
                    }
                })
                .add(new JarPluginLoader(this) {
                    @Override
                    protected PluginClassLoader createPluginClassLoader(Path path, PluginDescriptor d) {
                        PluginClassLoader cl = new QeventdClassLoader(pluginManager, d, getClass().getClassLoader());
                        cl.addFile(path.toFile());
                        return cl;
                    }
                })
                .add(new DefaultPluginLoader(this) {
                    @Override
                    public boolean isApplicable(Path path) {
                        return super.isApplicable(path) && !isProject(path);
                    }

                    @Override
                    protected PluginClassLoader createPluginClassLoader(Path path, PluginDescriptor d) {
                        return new QeventdClassLoader(pluginManager, d, getClass().getClassLoader());
                    }
                });
    }

    /** A plugin project's build output (or a staged copy of it), as opposed to an unpacked zip. */
    static boolean isProject(Path path) {
        return Files.isDirectory(path.resolve("target").resolve("classes"));
    }

    /** Whether a development-mode project has a descriptor PF4J can read. */
    static boolean hasProjectDescriptor(Path project) {
        if (Files.isRegularFile(project.resolve("plugin.properties"))
                || Files.isRegularFile(project.resolve("target/classes/META-INF/MANIFEST.MF"))) {
            return true;
        }
        try (Stream<Path> s = Files.list(project.resolve("target"))) {
            return s.anyMatch(p -> p.getFileName().toString().endsWith(".jar"));
        } catch (IOException e) {
            return false;
        }
    }

    /** The newest jar {@code mvn package} left in a project's {@code target/}, or null. */
    static Path newestJar(Path target) {
        if (!Files.isDirectory(target)) {
            return null;
        }
        try (Stream<Path> jars = Files.list(target)) {
            return jars.filter(p -> p.getFileName().toString().endsWith(".jar"))
                    .filter(p -> !p.getFileName().toString().endsWith("-sources.jar"))
                    .filter(p -> !p.getFileName().toString().endsWith("-javadoc.jar"))
                    .max(Comparator.comparingLong(p -> p.toFile().lastModified())).orElse(null);
        } catch (IOException e) {
            return null; // PF4J's own lookup then names the missing descriptor
        }
    }

    /**
     * Manifests of jars and zips, and for a plugin project in development mode the manifest Maven wrote
     * into its newest {@code target/*.jar}: the descriptor keys live in the pom, and {@code mvn compile}
     * alone writes no manifest.
     */
    static final class ProjectManifestFinder extends ManifestPluginDescriptorFinder {
        @Override
        protected Manifest readManifestFromDirectory(Path dir) {
            if (Files.isRegularFile(dir.resolve("target/classes/META-INF/MANIFEST.MF"))) {
                return super.readManifestFromDirectory(dir.resolve("target/classes"));
            }
            Path newest = newestJar(dir.resolve("target"));
            if (newest != null) {
                return readManifestFromJar(newest);
            }
            return super.readManifestFromDirectory(dir);
        }
    }

    private static final class DelegatingExtensionFactory implements ExtensionFactory {
        private volatile ExtensionFactory target;

        @Override
        public <T> T create(Class<T> extensionClass) {
            return target.create(extensionClass);
        }
    }
}
