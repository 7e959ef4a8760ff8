package io.qeventd.runtime.plugin;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What {@link PluginInspector} found in one plugin jar or zip: its descriptor, the handlers it would add
 * to the event table, and every reason it cannot be loaded. Holds only strings, never the plugin's
 * classes, so keeping a result does not keep the plugin's class loader alive.
 *
 * @param file         the jar or zip as given to the inspector
 * @param id           {@code Plugin-Id}, or null if no descriptor could be read
 * @param version      {@code Plugin-Version}, or null
 * @param requires     {@code Plugin-Requires} as written ({@code *} when absent), or null
 * @param dependencies {@code Plugin-Dependencies}
 * @param handlers     the handlers its {@code EventHandlers} extensions returned
 * @param problems     why it cannot be loaded, each naming the file; empty when it is valid
 * @param warnings     what looks wrong but does not stop it loading, each naming the file
 */
public record PluginInspection(Path file, String id, String version, String requires, List<Dependency> dependencies,
                               List<HandlerInfo> handlers, List<String> problems, List<String> warnings) {

    /** One {@code Plugin-Dependencies} entry: {@code id@versions}, {@code ?} after the id when optional. */
    public record Dependency(String pluginId, String versions, boolean optional) {
        @Override
        public String toString() {
            return pluginId + (optional ? "?" : "") + "@" + versions;
        }
    }

    /**
     * One handler as the event table would get it.
     *
     * @param event       the QMP event name, or {@code *} for every event
     * @param type        the name of its event-type constant
     * @param payloadType the class {@code data} decodes to
     * @param coalescing  whether queued repeats collapse (a coalescing key is set)
     * @param order       its order among the handlers of the same event
     * @param extension   the {@code EventHandlers} class that returned it
     */
    public record HandlerInfo(String event, String type, String payloadType, boolean coalescing, int order,
                              String extension) {
        @Override
        public String toString() {
            return event + " -> " + type + " (payload " + payloadType + (coalescing ? ", coalescing" : "")
                    + (order != 0 ? ", order " + order : "") + ") from " + extension;
        }
    }

    public PluginInspection {
        Objects.requireNonNull(file, "file");
        dependencies = List.copyOf(dependencies);
        handlers = List.copyOf(handlers);
        problems = List.copyOf(problems);
        warnings = List.copyOf(warnings);
    }

    /** True when the plugin would load, start and contribute its handlers. */
    public boolean valid() {
        return problems.isEmpty();
    }

    /** The text {@code qeventd plugins check} prints: a summary line, then handlers or problems, then warnings. */
    public String report() {
        StringBuilder out = new StringBuilder().append(file).append(": ");
        out.append(valid() ? "valid plugin" : "invalid plugin");
        if (id != null) {
            out.append(' ').append(id).append(' ').append(version);
        }
        if (requires != null) {
            out.append(" (requires api ").append(requires);
            if (!dependencies.isEmpty()) {
                out.append(", depends on ").append(dependencies.stream().map(Dependency::toString)
                        .reduce((a, b) -> a + ", " + b).orElse(""));
            }
            out.append(')');
        }
        out.append('\n');
        if (valid()) {
            for (HandlerInfo h : handlers) {
                out.append("  handler ").append(h).append('\n');
            }
        } else {
            for (String p : problems) {
                out.append("  ").append(p).append('\n');
            }
        }
        for (String w : warnings) {
            out.append("  warning: ").append(w).append('\n');
        }
        return out.toString();
    }
}
