package io.qeventd.runtime.plugin;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;

/** Turns an exception from a plugin, or from PF4J about a plugin, into one readable line. */
final class PluginInspectorFailures {
    private static final List<String> FRAMEWORK_PACKAGES = List.of("java.", "javax.", "jdk.", "sun.", "com.sun.",
            "org.pf4j.", "io.qeventd.runtime.", "io.qeventd.api.", "com.google.inject.");
    private static final int MAX_CAUSES = 5;

    private PluginInspectorFailures() {
    }

    /**
     * The exception and its causes, skipping wrappers that add nothing, ending with where in the plugin's
     * own code the innermost one was thrown: {@code IllegalStateException: boom at com.example.X.<init>(X.java:7)}.
     */
    static String describe(Throwable t) {
        if (t == null) {
            return "no reason given";
        }
        List<String> parts = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Throwable innermost = t;
        for (Throwable c = t; c != null && seen.add(c) && parts.size() < MAX_CAUSES; c = c.getCause()) {
            innermost = c;
            if (isBareWrapper(c)) {
                continue;
            }
            String message = c.getMessage();
            if (c.getClass().getName().startsWith("org.pf4j.") && message != null && !message.isBlank()) {
                parts.add(inQeventdTerms(message)); // the plugin framework's class name tells an author nothing
                continue;
            }
            parts.add(c.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message));
        }
        return String.join("; caused by ", parts) + pluginFrame(innermost.getStackTrace());
    }

    /** The plugin framework's messages, with its advice replaced by what holds in qeventd. */
    static String inQeventdTerms(String message) {
        int advice = message.indexOf("\nAs a workaround");
        String first = advice < 0 ? message : message.substring(0, advice);
        if (first.contains("Simultaneous loading of plugins with the same PluginId")) {
            return "another plugin with the same Plugin-Id is already loaded; each plugin needs an id of its own";
        }
        return first.replace("PluginId", "Plugin-Id").strip();
    }

    /** {@code " at <frame>"} for the first frame in neither the JDK, PF4J nor qeventd, or "" if none. */
    static String pluginFrame(StackTraceElement[] stack) {
        for (StackTraceElement frame : stack) {
            String className = frame.getClassName();
            if (FRAMEWORK_PACKAGES.stream().noneMatch(className::startsWith)) {
                return " at " + frame;
            }
        }
        return "";
    }

    /** Reflection wrappers, and exceptions whose message is only their cause's, such as PF4J's. */
    private static boolean isBareWrapper(Throwable t) {
        Throwable cause = t.getCause();
        if (cause == null) {
            return false;
        }
        if (t instanceof InvocationTargetException || t instanceof UndeclaredThrowableException
                || t instanceof ExecutionException) {
            return true;
        }
        if (t.getClass().getName().startsWith("com.google.inject.")) {
            // Guice's provisioning errors wrap the constructor's exception in a page of text.
            return true;
        }
        return t.getMessage() == null || t.getMessage().equals(cause.toString());
    }
}
