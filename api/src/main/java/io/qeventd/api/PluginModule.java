package io.qeventd.api;

import org.pf4j.ExtensionPoint;

/**
 * Optional: a plugin's own Guice bindings. Mark an implementation {@code @Extension}; its
 * {@link #module()} (a {@code com.google.inject.Module}) goes into a child injector kept for the
 * plugin and dropped when it unloads. Typed as {@code Object} so the api needs no Guice.
 */
public interface PluginModule extends ExtensionPoint {
    Object module();
}
