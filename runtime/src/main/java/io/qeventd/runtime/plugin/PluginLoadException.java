package io.qeventd.runtime.plugin;

import java.nio.file.Path;

/** A plugin could not be loaded, started or registered; the message names the file and the reason. */
public final class PluginLoadException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient Path source;

    public PluginLoadException(Path source, String reason, Throwable cause) {
        super(source + ": " + reason, cause);
        this.source = source;
    }

    public Path source() {
        return source;
    }
}
