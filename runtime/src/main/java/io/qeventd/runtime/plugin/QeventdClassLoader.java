package io.qeventd.runtime.plugin;

import java.io.IOException;
import org.pf4j.ClassLoadingStrategy;
import org.pf4j.PluginClassLoader;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginManager;

/**
 * A plugin's class loader: the plugin's own classes first, except the packages the daemon shares
 * with every plugin, which always come from the daemon. A plugin that bundles its own copy of the api,
 * Jackson, Guice or SLF4J would otherwise see classes the daemon does not recognise.
 *
 * <p>Its close can be deferred: PF4J closes a plugin's loader inside {@code unloadPlugin}, but during a
 * reload the old version's entries stay in the event table (and may decode events) until the new
 * version's entries replace them, so the reload defers the close and closes it after the swap.
 */
final class QeventdClassLoader extends PluginClassLoader {
    private static final String[] SHARED = {
        "io.qeventd.api.", "io.qeventd.events.", "org.pf4j.", "org.slf4j.", "com.fasterxml.jackson.", "com.google.inject.",
        "jakarta.inject.", "javax.inject."
    };

    private boolean deferred;
    private boolean closeAsked;
    private final String pluginId;

    QeventdClassLoader(PluginManager manager, PluginDescriptor descriptor, ClassLoader parent) {
        super(manager, descriptor, parent, ClassLoadingStrategy.PDA);
        this.pluginId = descriptor.getPluginId();
    }

    /** The id of the plugin whose classes this loader holds. */
    String pluginId() {
        return pluginId;
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

    /** From now on {@link #close()} only records the wish; {@link #closeDeferred()} closes. */
    synchronized void deferClose() {
        deferred = true;
    }

    /** Whether PF4J asked to close it while the close was deferred. */
    synchronized boolean closeAsked() {
        return closeAsked;
    }

    @Override
    public void close() throws IOException {
        synchronized (this) {
            if (deferred) {
                closeAsked = true;
                return;
            }
        }
        super.close();
    }

    /** Ends the deferral and closes. */
    void closeDeferred() throws IOException {
        synchronized (this) {
            deferred = false;
        }
        super.close();
    }
}
