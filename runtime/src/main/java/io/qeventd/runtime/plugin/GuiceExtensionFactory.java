package io.qeventd.runtime.plugin;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import com.google.inject.Stage;
import io.qeventd.api.HostNetwork;
import io.qeventd.api.PluginModule;
import io.qeventd.api.PluginSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.pf4j.ExtensionFactory;
import org.pf4j.PluginManager;
import org.pf4j.PluginWrapper;

/**
 * Creates extensions through Guice, so handlers can {@code @Inject} the api's services and their own
 * bindings. Each plugin gets an injector of its own, built on the daemon's services and the modules the
 * plugin contributes ({@link PluginModule}); it is dropped when the plugin unloads.
 *
 * <p>Why not {@code createChildInjector}: Guice puts a child's just-in-time bindings into the parent
 * whenever it can, and a parent holding a plugin's classes would keep the plugin's class loader alive
 * after unload. An injector of the plugin's own, given the daemon's services as instances, gives the same
 * injection with nothing of the plugin left behind.
 */
public final class GuiceExtensionFactory implements ExtensionFactory {
    private final PluginManager manager;
    private final Map<String, Injector> injectors = new ConcurrentHashMap<>();
    private volatile HostNetwork host;
    private volatile Function<String, PluginSettings> settings = id -> null;

    GuiceExtensionFactory(PluginManager manager) {
        this.manager = manager;
    }

    /** The daemon's services that plugins may inject. */
    public void services(HostNetwork host, Function<String, PluginSettings> settings) {
        this.host = host;
        this.settings = settings;
    }

    @Override
    public <T> T create(Class<T> extensionClass) {
        PluginWrapper plugin = manager.whichPlugin(extensionClass);
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        // Libraries a handler starts while it is created see the plugin's classes.
        t.setContextClassLoader(extensionClass.getClassLoader());
        try {
            if (PluginModule.class.isAssignableFrom(extensionClass)) {
                // Modules are what injectors are built from; they cannot be injected themselves.
                return extensionClass.getDeclaredConstructor().newInstance();
            }
            String id = plugin == null ? "" : plugin.getPluginId();
            Injector injector = injectors.computeIfAbsent(id, k -> injectorFor(plugin));
            return injector.getInstance(extensionClass);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create " + extensionClass.getName() + ": " + e, e);
        } finally {
            t.setContextClassLoader(before);
        }
    }

    /** Drops the plugin's injector and every binding in it. */
    public void release(String pluginId) {
        injectors.remove(pluginId);
    }

    private Injector injectorFor(PluginWrapper plugin) {
        String id = plugin == null ? "" : plugin.getPluginId();
        List<Module> modules = new ArrayList<>();
        HostNetwork h = host;
        PluginSettings s = settings.apply(id);
        modules.add(new AbstractModule() {
            @Override
            protected void configure() {
                if (h != null) {
                    bind(HostNetwork.class).toInstance(h);
                }
                if (s != null) {
                    bind(PluginSettings.class).toInstance(s);
                }
            }
        });
        if (plugin != null) {
            for (Class<? extends PluginModule> c : manager.getExtensionClasses(PluginModule.class, id)) {
                PluginModule pm = create(c);
                Object m = pm.module();
                if (!(m instanceof Module module)) {
                    throw new IllegalStateException("plugin " + id + ": " + c.getName()
                            + ".module() must return a com.google.inject.Module, got " + m);
                }
                modules.add(module);
            }
        }
        return Guice.createInjector(Stage.PRODUCTION, modules);
    }
}
