package io.qeventd.runtime.plugin;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import com.google.inject.Stage;
import io.qeventd.api.HostNetwork;
import io.qeventd.api.PluginModule;
import io.qeventd.api.PluginSettings;
import io.qeventd.api.state.SharedState;
import io.qeventd.runtime.state.StateRegistry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.Function;
import org.pf4j.ExtensionFactory;

/**
 * Creates extensions through Guice, so handlers can {@code @Inject} the api's services and their own
 * bindings. Each plugin (each plugin class loader) gets an injector of its own, built on the daemon's
 * services and the {@link PluginModule}s the plugin lists in its extension index; it is dropped when
 * the plugin unloads.
 *
 * <p>Why not {@code createChildInjector}: Guice puts a child's just-in-time bindings into the parent
 * whenever it can, and a parent holding a plugin's classes would keep the plugin's class loader alive
 * after unload. An injector of the plugin's own, given the daemon's services as instances, gives the same
 * injection with nothing of the plugin left behind.
 */
public final class GuiceExtensionFactory implements ExtensionFactory {
    private static final String INDEX = "META-INF/extensions.idx";

    private final HostNetwork host;
    private final Function<ClassLoader, PluginSettings> settings;
    private final StateRegistry states;
    private final Map<ClassLoader, Injector> injectors = Collections.synchronizedMap(new WeakHashMap<>());

    /**
     * @param host     bound as {@link HostNetwork} for every plugin (null: not bound)
     * @param settings a plugin's settings, by its class loader (null result: not bound)
     */
    public GuiceExtensionFactory(HostNetwork host, Function<ClassLoader, PluginSettings> settings) {
        this(host, settings, StateRegistry.shared());
    }

    /**
     * @param states where a plugin's {@link SharedState} publishes; bound for plugins loaded by qeventd's
     *               plugin manager (their class loader knows their id)
     */
    public GuiceExtensionFactory(HostNetwork host, Function<ClassLoader, PluginSettings> settings,
                                 StateRegistry states) {
        this.host = host;
        this.settings = settings;
        this.states = states;
    }

    @Override
    public <T> T create(Class<T> extensionClass) {
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        ClassLoader loader = extensionClass.getClassLoader();
        // Libraries a handler starts while it is created see the plugin's classes.
        t.setContextClassLoader(loader);
        try {
            if (PluginModule.class.isAssignableFrom(extensionClass)) {
                // Modules are what injectors are built from; they cannot be injected themselves.
                return extensionClass.getDeclaredConstructor().newInstance();
            }
            Injector injector;
            synchronized (injectors) {
                injector = injectors.get(loader);
                if (injector == null) {
                    injector = injectorFor(loader);
                    injectors.put(loader, injector);
                }
            }
            return injector.getInstance(extensionClass);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create " + extensionClass.getName() + ": " + e, e);
        } finally {
            t.setContextClassLoader(before);
        }
    }

    /**
     * Drops the injector of a plugin's class loader and every binding in it, and withdraws the state that
     * plugin version published.
     */
    public void release(ClassLoader pluginLoader) {
        injectors.remove(pluginLoader);
        if (states != null) {
            states.releaseVersion(pluginLoader);
        }
    }

    private Injector injectorFor(ClassLoader loader) throws ReflectiveOperationException {
        List<Module> modules = new ArrayList<>();
        PluginSettings s = settings.apply(loader);
        // A jar being checked (its class loader is the inspector's) gets a registry of its own: a check must
        // leave nothing in the daemon's.
        SharedState shared = states == null ? null : loader instanceof QeventdClassLoader q
                ? states.forPlugin(q.pluginId(), loader) : new StateRegistry().forPlugin("checked-plugin", loader);
        modules.add(new AbstractModule() {
            @Override
            protected void configure() {
                if (host != null) {
                    bind(HostNetwork.class).toInstance(host);
                }
                if (s != null) {
                    bind(PluginSettings.class).toInstance(s);
                }
                if (shared != null) {
                    bind(SharedState.class).toInstance(shared);
                }
            }
        });
        for (Class<?> c : ownExtensions(loader)) {
            if (PluginModule.class.isAssignableFrom(c)) {
                Object m = ((PluginModule) c.getDeclaredConstructor().newInstance()).module();
                if (!(m instanceof Module module)) {
                    throw new IllegalStateException(c.getName() + ".module() must return a com.google.inject.Module, got "
                            + (m == null ? "null" : m.getClass().getName()));
                }
                modules.add(module);
            }
        }
        return Guice.createInjector(Stage.PRODUCTION, modules);
    }

    /** The extension classes a plugin's own index names (not those of its dependencies or the daemon). */
    private static List<Class<?>> ownExtensions(ClassLoader loader) throws ClassNotFoundException {
        List<Class<?>> out = new ArrayList<>();
        try {
            for (URL url : Collections.list(loader.getResources(INDEX))) {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(url.openStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        String name = line.strip();
                        if (name.isEmpty() || name.startsWith("#")) {
                            continue;
                        }
                        Class<?> c = loader.loadClass(name);
                        if (c.getClassLoader() == loader) {
                            out.add(c);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + INDEX, e);
        }
        return out;
    }
}
