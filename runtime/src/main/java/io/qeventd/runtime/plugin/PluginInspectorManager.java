package io.qeventd.runtime.plugin;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import org.pf4j.DefaultPluginManager;
import org.pf4j.Plugin;
import org.pf4j.PluginFactory;
import org.pf4j.PluginRuntimeException;
import org.pf4j.PluginStatusProvider;
import org.pf4j.PluginWrapper;
import org.pf4j.RuntimeMode;

/**
 * The throwaway PF4J manager a {@link PluginInspector} loads a candidate into: rooted in a temporary
 * directory, deaf to the {@code pf4j.*} system properties that steer the daemon's own manager, and with a
 * plugin factory that throws where PF4J's default one logs and returns null (which would leave only a
 * NullPointerException as the reason a plugin failed to start).
 */
final class PluginInspectorManager extends DefaultPluginManager {

    PluginInspectorManager(Path root, String systemVersion) {
        super(root);
        setSystemVersion(systemVersion);
    }

    /** While true, plugins whose dependencies cannot be resolved are dropped instead of failing the load. */
    void tolerateUnresolved(boolean tolerate) {
        setResolveRecoveryStrategy(tolerate ? ResolveRecoveryStrategy.IGNORE_PLUGIN_AND_CONTINUE
                : ResolveRecoveryStrategy.THROW_EXCEPTION);
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
