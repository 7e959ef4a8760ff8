package io.qeventd.runtime.plugin;

import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Turns successive looks at the plugins directory into added, changed and removed files, holding back a
 * file until it has stopped changing: the same state seen by two looks at least {@code stableNanos}
 * apart (a jar still being copied grows between looks and is never reported half-written).
 *
 * <p>Pure bookkeeping, no I/O and no clock of its own; confined to the watcher's thread.
 */
final class PluginDirectoryTracker {

    /** What one look saw of a file; two looks agree when every field is equal. */
    record FileState(long size, FileTime modified, Object fileKey, FileTime changed) {
    }

    enum Kind { REMOVED, CHANGED, ADDED }

    record Change(Kind kind, Path file) {
    }

    /** A state not yet reported, and when a look first saw it. */
    private record Pending(FileState state, long since) {
    }

    private final long stableNanos;
    private final Map<Path, FileState> reported = new HashMap<>();
    private final Map<Path, Pending> pending = new HashMap<>();

    PluginDirectoryTracker(long stableNanos) {
        if (stableNanos < 0) {
            throw new IllegalArgumentException("stableNanos must not be negative: " + stableNanos);
        }
        this.stableNanos = stableNanos;
    }

    /**
     * Takes the files one look saw at {@code now} (a {@link System#nanoTime()} value) and returns what to
     * report: removals, then changes, then additions, each sorted by path.
     */
    List<Change> look(Map<Path, FileState> observed, long now) {
        List<Change> removed = new ArrayList<>();
        List<Change> changed = new ArrayList<>();
        List<Change> added = new ArrayList<>();

        for (Path gone : new TreeSet<>(reported.keySet())) {
            if (!observed.containsKey(gone)) {
                reported.remove(gone);
                removed.add(new Change(Kind.REMOVED, gone));
            }
        }
        pending.keySet().retainAll(observed.keySet());

        for (Map.Entry<Path, FileState> e : new TreeMap<>(observed).entrySet()) {
            Path file = e.getKey();
            FileState state = e.getValue();
            FileState known = reported.get(file);
            if (state.equals(known)) {
                pending.remove(file); // changed and changed back between looks: nothing to report
                continue;
            }
            Pending seen = pending.get(file);
            if (seen == null || !seen.state().equals(state)) {
                pending.put(file, new Pending(state, now));
                continue;
            }
            if (now - seen.since() < stableNanos) {
                continue;
            }
            pending.remove(file);
            reported.put(file, state);
            (known == null ? added : changed).add(new Change(known == null ? Kind.ADDED : Kind.CHANGED, file));
        }

        List<Change> all = new ArrayList<>(removed);
        all.addAll(changed);
        all.addAll(added);
        return all;
    }

    /** Takes every observed file as reported at once, without the stability check. */
    List<Change> acceptAll(Map<Path, FileState> observed) {
        List<Change> added = new ArrayList<>();
        for (Map.Entry<Path, FileState> e : new TreeMap<>(observed).entrySet()) {
            if (reported.put(e.getKey(), e.getValue()) == null) {
                added.add(new Change(Kind.ADDED, e.getKey()));
            }
            pending.remove(e.getKey());
        }
        return added;
    }

    /** The earliest {@link System#nanoTime()} at which a held-back file could be reported, if any. */
    long nextConfirmation() {
        long next = Long.MAX_VALUE;
        for (Pending p : pending.values()) {
            next = Math.min(next, p.since() + stableNanos);
        }
        return next;
    }

    boolean isReported(Path file) {
        return reported.containsKey(file);
    }

    /** Files seen but held back because they are new or still changing. */
    Set<Path> unsettled() {
        return Set.copyOf(pending.keySet());
    }
}
