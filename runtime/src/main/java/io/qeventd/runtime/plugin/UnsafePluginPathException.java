package io.qeventd.runtime.plugin;

import java.nio.file.Path;
import java.util.List;

/**
 * A plugins directory or plugin file that users other than the daemon's (or root) could write, and so
 * replace the code the daemon runs. The message names each path, what is wrong and how to fix it.
 */
public final class UnsafePluginPathException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient Path path;
    private final transient List<PluginPathSafety.Problem> problems;

    UnsafePluginPathException(Path path, List<PluginPathSafety.Problem> problems, String message) {
        super(message);
        this.path = path;
        this.problems = List.copyOf(problems);
    }

    /** The directory or file that was checked. */
    public Path path() {
        return path;
    }

    public List<PluginPathSafety.Problem> problems() {
        return problems;
    }
}
