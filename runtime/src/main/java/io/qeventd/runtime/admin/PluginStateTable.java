package io.qeventd.runtime.admin;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The plugin sections of {@code qeventd status}: for each plugin that publishes state, one table per state
 * key, a row per domain and a column per field; then the services it offers.
 */
final class PluginStateTable {
    private PluginStateTable() {
    }

    static List<String> lines(StatusReport r) {
        List<String> out = new ArrayList<>();
        Set<String> plugins = new LinkedHashSet<>(r.pluginState().keySet());
        plugins.addAll(r.services().keySet());
        for (String plugin : plugins) {
            out.add("");
            out.add("plugin " + plugin + ":");
            r.pluginState().getOrDefault(plugin, Map.of()).forEach((key, byDomain) -> {
                out.add("  " + key);
                out.addAll(table(byDomain).lines("    "));
            });
            List<String> services = r.services().getOrDefault(plugin, List.of());
            if (!services.isEmpty()) {
                out.add("  services: " + String.join(", ", services));
            }
        }
        return out;
    }

    private static TextTable table(Map<String, Map<String, Object>> byDomain) {
        Set<String> columns = new LinkedHashSet<>();
        byDomain.values().forEach(f -> columns.addAll(f.keySet()));
        List<String> headers = new ArrayList<>();
        headers.add("DOMAIN");
        columns.forEach(c -> headers.add(c.toUpperCase(Locale.ROOT)));
        TextTable t = new TextTable(headers.toArray(String[]::new));
        byDomain.forEach((domain, fields) -> {
            List<Object> row = new ArrayList<>();
            row.add(domain);
            columns.forEach(c -> row.add(fields.get(c)));
            t.row(row.toArray());
        });
        return t;
    }
}
