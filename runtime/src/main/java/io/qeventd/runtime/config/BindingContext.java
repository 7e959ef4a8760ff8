package io.qeventd.runtime.config;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/** What every {@link SectionReader} of one file shares: the error list, the file's directory, the user. */
final class BindingContext {
    private final ConfigErrors errors;
    private final Path baseDir;
    private final ProcessUser user;
    private final Set<String> keyPaths = new LinkedHashSet<>();

    BindingContext(ConfigErrors errors, Path baseDir, ProcessUser user) {
        this.errors = errors;
        this.baseDir = baseDir.toAbsolutePath().normalize();
        this.user = user;
    }

    ConfigErrors errors() {
        return errors;
    }

    ProcessUser user() {
        return user;
    }

    /** Paths in the file are relative to the file's own directory, wherever the daemon was started. */
    Path resolve(String path) {
        return baseDir.resolve(path).normalize();
    }

    void noteKey(String keyPath) {
        keyPaths.add(keyPath.replaceAll("\\[\\d+]", "[]"));
    }

    /** Every key the binder asked for, list indexes written {@code []} ({@code domains[].nics[].alias}). */
    Set<String> keyPaths() {
        return Collections.unmodifiableSet(keyPaths);
    }
}
