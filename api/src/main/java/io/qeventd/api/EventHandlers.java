package io.qeventd.api;

import java.util.List;
import org.pf4j.ExtensionPoint;

/**
 * The extension point of qeventd: a plugin marks an implementation {@code @Extension} and lists the
 * handlers it contributes to the event table.
 *
 * <p>Instances are created through the daemon's Guice injector, so they may {@code @Inject} a
 * {@link HostNetwork}, their {@link PluginSettings} or bindings of the plugin's own Guice module
 * (see {@link PluginModule}).
 */
public interface EventHandlers extends ExtensionPoint {
    List<Handler<?>> handlers();
}
