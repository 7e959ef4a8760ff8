package io.qeventd.runtime.config;

import io.qeventd.runtime.config.YamlNode.Entry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** What every {@link SectionReader} of one file shares: the error list, the file's directory, the user. */
final class BindingContext {
    private final ConfigErrors errors;
    private final Path baseDir;
    private final ProcessUser user;
    private final Set<String> keyPaths = new LinkedHashSet<>();
    private final List<UnknownKey> unknownKeys = new ArrayList<>();

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
        keyPaths.add(normalize(keyPath));
    }

    /** Every key the binder asked for, list indexes written {@code []} ({@code domains[].nics[].alias}). */
    Set<String> keyPaths() {
        return Collections.unmodifiableSet(keyPaths);
    }

    /** Holds an unknown key back until every section is read, so its message can say where it belongs. */
    void unknownKey(Entry entry, String sectionPath, Set<String> validHere) {
        unknownKeys.add(new UnknownKey(entry, sectionPath, List.copyOf(validHere)));
    }

    void reportUnknownKeys() {
        for (UnknownKey unknown : unknownKeys) {
            String here = normalize(unknown.sectionPath());
            List<String> elsewhere = keyPaths.stream()
                    .filter(key -> !parentOf(key).equals(here))
                    .toList();
            errors.add(unknown.entry().keyMark(), unknown.sectionPath(),
                    KeySuggestions.unknownKey(unknown.entry().key(), unknown.validHere(), elsewhere));
        }
        unknownKeys.clear();
    }

    /** {@code domains[2].nics[0]} becomes {@code domains[].nics[]}. */
    static String normalize(String keyPath) {
        return keyPath.replaceAll("\\[\\d+]", "[]");
    }

    private static String parentOf(String keyPath) {
        int dot = keyPath.lastIndexOf('.');
        return dot < 0 ? "" : keyPath.substring(0, dot);
    }

    private record UnknownKey(Entry entry, String sectionPath, List<String> validHere) {
    }
}
