package io.qeventd.runtime.plugin;

import static io.qeventd.runtime.plugin.PluginInspectorFailures.describe;

import io.qeventd.api.EventHandlers;
import io.qeventd.api.Handler;
import io.qeventd.runtime.plugin.PluginInspection.HandlerInfo;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.pf4j.ExtensionFactory;

/**
 * Loads each class in a plugin's extension index, creates every {@link EventHandlers} extension through
 * the daemon's extension factory and checks the handlers it returns. Done by hand rather than through
 * PF4J's extension finder, which skips classes that fail to load and logs creation failures.
 */
final class PluginInspectorExtensions {
    private static final Pattern EVENT_NAME = Pattern.compile("[A-Z][A-Z0-9_]*");

    private final ExtensionFactory factory;
    private final PluginInspectorRun findings;

    PluginInspectorExtensions(ExtensionFactory factory, PluginInspectorRun findings) {
        this.factory = factory;
        this.findings = findings;
    }

    /** Checks the extensions named in the index ({@code classNames}) against the plugin's class loader. */
    void check(Set<String> classNames, ClassLoader loader) {
        for (String name : new TreeSet<>(classNames)) {
            Class<?> type;
            try {
                type = Class.forName(name, false, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                findings.problem("extension " + name + " (listed in its extension index) cannot be loaded: "
                        + describe(e));
                continue;
            }
            if (!EventHandlers.class.isAssignableFrom(type)) {
                if (implementsByName(type, EventHandlers.class.getName())) {
                    findings.problem("extension " + name + " implements its own copy of "
                            + EventHandlers.class.getName() + ": the plugin bundles qeventd-api, which must be a"
                            + " 'provided' dependency");
                }
                continue; // another extension point (e.g. PluginModule): not checked here
            }
            checkHandlers(name, type);
        }
        // No EventHandlers class at all: the run reports a plugin without handlers as invalid.
    }

    private void checkHandlers(String name, Class<?> type) {
        Object extension;
        try {
            extension = factory.create(type);
        } catch (RuntimeException | LinkageError e) {
            findings.problem("extension " + name + " could not be created: " + describe(e));
            return;
        }
        if (extension == null) {
            findings.problem("extension " + name + " could not be created: the extension factory returned null");
            return;
        }
        List<Handler<?>> list;
        try {
            list = ((EventHandlers) extension).handlers();
        } catch (RuntimeException | LinkageError e) {
            findings.problem(name + ".handlers() threw " + describe(e));
            return;
        }
        if (list == null) {
            findings.problem(name + ".handlers() returned null instead of a list of handlers");
            return;
        }
        if (list.isEmpty()) {
            findings.problem(name + ".handlers() returned no handlers; an EventHandlers extension must add at"
                    + " least one");
            return;
        }
        for (int i = 0; i < list.size(); i++) {
            HandlerInfo info = describeHandler(name, i, list.get(i));
            if (info != null) {
                findings.handler(info);
            }
        }
    }

    /** The handler as the event table would take it, or null (and a problem) when it is unusable. */
    private HandlerInfo describeHandler(String extension, int index, Handler<?> h) {
        if (h == null) {
            findings.problem(extension + ".handlers() returned null at index " + index);
            return null;
        }
        String event = h.event();
        // Handler.on(...) already insists on this form; checked again because the table keys on it.
        if (!h.isForEveryEvent() && (event == null || !EVENT_NAME.matcher(event).matches())) {
            findings.problem(extension + ".handlers() returned a handler for '" + event + "', which is not a QMP"
                    + " event name");
            return null;
        }
        String typeName;
        try {
            typeName = h.type().name();
        } catch (RuntimeException | LinkageError e) {
            findings.problem(extension + ": the event type of its " + event + " handler has no usable name: "
                    + describe(e));
            return null;
        }
        if (typeName == null || typeName.isBlank()) {
            findings.problem(extension + ": the event type of its " + event + " handler has an empty name");
            return null;
        }
        return new HandlerInfo(event, typeName, h.payloadType().getName(), h.coalesceKey() != null, h.order(),
                extension);
    }

    /** Whether {@code type} implements an interface of that name, possibly from another class loader. */
    private static boolean implementsByName(Class<?> type, String interfaceName) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            Deque<Class<?>> interfaces = new ArrayDeque<>(List.of(c.getInterfaces()));
            while (!interfaces.isEmpty()) {
                Class<?> i = interfaces.pop();
                if (i.getName().equals(interfaceName)) {
                    return true;
                }
                Collections.addAll(interfaces, i.getInterfaces());
            }
        }
        return false;
    }
}
