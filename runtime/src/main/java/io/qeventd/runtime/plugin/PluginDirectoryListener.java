package io.qeventd.runtime.plugin;

import java.nio.file.Path;

/**
 * What a {@link PluginDirectoryWatcher} reports. Calls come one at a time on the watcher's own thread,
 * only for files that have stopped changing; within one look: removals, then changes, then additions,
 * each in file-name order. A call that throws is logged and does not stop the watcher.
 */
public interface PluginDirectoryListener {

    /** A plugin file appeared (or was present when the watcher started). */
    void added(Path file);

    /**
     * A plugin file was replaced or rewritten: its size, modification time, inode or change time differ
     * from what was last reported (a copy over it, an atomic {@code mv} over it, a {@code chmod}).
     */
    void changed(Path file);

    /** A plugin file is gone (deleted, renamed away, or its directory disappeared). */
    void removed(Path file);
}
