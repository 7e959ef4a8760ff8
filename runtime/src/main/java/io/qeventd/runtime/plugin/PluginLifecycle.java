package io.qeventd.runtime.plugin;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Where a plugin (or a file that should have been one) stands. Status, the admin socket's JSON and
 * {@code qeventd status} show the lowercase {@link #word()}.
 */
public enum PluginLifecycle {
    /** Its file was found and is being checked and loaded. */
    CHECKING,
    /** Loaded, started, and its handlers are in the event table. */
    STARTED,
    /** It could not be loaded (or a reload failed and its old version could not be kept): nothing of it runs. */
    FAILED,
    /** Its file is not safe to load (others can write it); nothing was tried. */
    REFUSED,
    /** It was unloaded: its file went away or the daemon stops. */
    UNLOADED,
    /**
     * Loaded, but a processor of it did not return within processTimeout nor after an interrupt: its handlers
     * are disabled until a new version of it is loaded.
     */
    WEDGED;

    /** The word users see. */
    @JsonValue
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static PluginLifecycle of(String word) {
        return valueOf(word.toUpperCase(Locale.ROOT));
    }

    @Override
    public String toString() {
        return word();
    }
}
