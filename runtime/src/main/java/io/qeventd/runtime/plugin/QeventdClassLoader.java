package io.qeventd.runtime.plugin;

import org.pf4j.ClassLoadingStrategy;
import org.pf4j.PluginClassLoader;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginManager;

/**
 * A plugin's class loader: the plugin's own classes first, except the packages the daemon shares
 * with every plugin, which always come from the daemon. A plugin that bundles its own copy of the api,
 * Jackson, Guice or SLF4J would otherwise see classes the daemon does not recognise.
 */
final class QeventdClassLoader extends PluginClassLoader {
    private static final String[] SHARED = {
        "io.qeventd.api.", "org.pf4j.", "org.slf4j.", "com.fasterxml.jackson.", "com.google.inject.",
        "jakarta.inject.", "javax.inject."
    };

    QeventdClassLoader(PluginManager manager, PluginDescriptor descriptor, ClassLoader parent) {
        super(manager, descriptor, parent, ClassLoadingStrategy.PDA);
    }

    @Override
    protected boolean shouldDelegateToParent(String className) {
        return isShared(className) || super.shouldDelegateToParent(className);
    }

    /** Whether this class always comes from the daemon, whatever the plugin bundles (what plugins check accepts). */
    static boolean isShared(String className) {
        for (String p : SHARED) {
            if (className.startsWith(p)) {
                return true;
            }
        }
        return false;
    }
}
