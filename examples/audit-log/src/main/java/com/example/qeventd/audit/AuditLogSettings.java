package com.example.qeventd.audit;

import io.qeventd.api.PluginSettings;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

/**
 * The plugin's section of the daemon's configuration:
 *
 * <pre>
 * pluginSettings:
 *   audit-log:
 *     file: /var/log/qeventd/audit.jsonl
 * </pre>
 *
 * @param file the audit log, an absolute path; created on the first event, its directory must exist
 */
public record AuditLogSettings(String file) {
    /** Where the section sits in the configuration, for error messages. */
    static final String SECTION = "pluginSettings.audit-log";
    private static final Set<String> KEYS = Set.of("file");

    /**
     * Reads and checks the section. qeventd passes a plugin's settings on unchecked, so a misspelt key
     * would otherwise be dropped without a word.
     */
    public static AuditLogSettings from(PluginSettings settings) {
        Set<String> unknown = new TreeSet<>(settings.asMap().keySet());
        unknown.removeAll(KEYS);
        if (!unknown.isEmpty()) {
            throw new InvalidAuditLogSettingsException(SECTION + ": unknown key " + String.join(", ", unknown)
                    + "; valid keys: " + String.join(", ", new TreeSet<>(KEYS)));
        }
        AuditLogSettings bound;
        try {
            bound = settings.as(AuditLogSettings.class);
        } catch (IllegalArgumentException e) {
            throw new InvalidAuditLogSettingsException(SECTION + ": " + e.getMessage(), e);
        }
        bound.path(); // checks the file now, so a bad value stops the plugin from loading
        return bound;
    }

    /** The audit log's path. */
    public Path path() {
        if (file == null || file.isBlank()) {
            throw new InvalidAuditLogSettingsException(SECTION + ".file is not set: name the audit log file, e.g. "
                    + "file: /var/log/qeventd/audit.jsonl");
        }
        Path p;
        try {
            p = Path.of(file);
        } catch (InvalidPathException e) {
            throw new InvalidAuditLogSettingsException(SECTION + ".file: not a path: '" + file + "' (" + e.getReason()
                    + ")", e);
        }
        // Relative to what? The daemon's working directory is '/' under systemd: say what is meant.
        if (!p.isAbsolute()) {
            throw new InvalidAuditLogSettingsException(SECTION + ".file must be an absolute path, got '" + file + "'");
        }
        return p;
    }
}
