package io.qeventd.runtime.dispatch;

import io.qeventd.api.Handler;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The event table: for each QMP event name, the handlers that run for it, in order. An immutable
 * snapshot, looked up without locks on the reader thread and replaced whole when plugins change
 * (libvirt's sorted {@code eventHandlers[]}, with entries that come from plugins).
 */
public final class EventTable {
    private static final Comparator<TableEntry> ORDER = Comparator
            .comparingInt((TableEntry e) -> e.handler().order())
            .thenComparing(TableEntry::pluginId)
            .thenComparing(e -> e.key().type());

    private final Map<String, List<TableEntry>> byEvent;
    private final List<TableEntry> everyEvent;
    private final Map<HandlerKey, TableEntry> byKey;
    private final List<TableEntry> withResync;
    private final long generation;

    private EventTable(Map<String, List<TableEntry>> byEvent, List<TableEntry> everyEvent,
                       Map<HandlerKey, TableEntry> byKey, List<TableEntry> withResync, long generation) {
        this.byEvent = byEvent;
        this.everyEvent = everyEvent;
        this.byKey = byKey;
        this.withResync = withResync;
        this.generation = generation;
    }

    public static EventTable empty() {
        return new EventTable(Map.of(), List.of(), Map.of(), List.of(), 0);
    }

    /** Builds a table from the plugins' handlers; a handler listed twice by one plugin keeps its first entry. */
    public static EventTable of(Collection<PluginHandlers> plugins, long generation) {
        Map<HandlerKey, TableEntry> byKey = new LinkedHashMap<>();
        for (PluginHandlers p : plugins) {
            for (Handler<?> h : p.handlers()) {
                HandlerKey key = new HandlerKey(p.pluginId(), h.event(), h.type().name());
                byKey.putIfAbsent(key, new TableEntry(key, p.version(), h, p.mapper(), p.settings()));
            }
        }
        List<TableEntry> every = new ArrayList<>();
        Map<String, List<TableEntry>> named = new HashMap<>();
        for (TableEntry e : byKey.values()) {
            if (e.handler().isForEveryEvent()) {
                every.add(e);
            } else {
                named.computeIfAbsent(e.handler().event(), k -> new ArrayList<>()).add(e);
            }
        }
        every.sort(ORDER);
        Map<String, List<TableEntry>> byEvent = new HashMap<>();
        for (var en : named.entrySet()) {
            List<TableEntry> all = new ArrayList<>(en.getValue());
            all.addAll(every);
            all.sort(ORDER);
            byEvent.put(en.getKey(), List.copyOf(all));
        }
        List<TableEntry> resync = byKey.values().stream().filter(e -> e.handler().resync() != null).sorted(ORDER).toList();
        return new EventTable(Map.copyOf(byEvent), List.copyOf(every), Map.copyOf(byKey), resync, generation);
    }

    /** The handlers for an event, in the order they run; empty when none (the event is unhandled). */
    public List<TableEntry> lookup(String event) {
        List<TableEntry> l = byEvent.get(event);
        return l != null ? l : everyEvent;
    }

    /** The entry a key names now, or null when no loaded plugin has it. */
    public TableEntry find(HandlerKey key) {
        return byKey.get(key);
    }

    /** Handlers with a resync hook, in order. */
    public List<TableEntry> withResync() {
        return withResync;
    }

    public Collection<TableEntry> entries() {
        return byKey.values();
    }

    /** The event names with at least one handler of their own, sorted. */
    public List<String> eventNames() {
        return byEvent.keySet().stream().sorted().toList();
    }

    /** Increases each time the table is replaced. */
    public long generation() {
        return generation;
    }
}
