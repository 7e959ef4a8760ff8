package io.qeventd.runtime.config;

import io.qeventd.runtime.journal.JournalSync;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The daemon's whole configuration, every default applied and every path absolute.
 * {@link ConfigLoader} builds it from YAML; docs/configuration.md describes each key.
 *
 * @param source             where it came from, for messages (the file's path, or "built-in defaults")
 * @param plugins            {@code plugins.*}
 * @param workers            worker threads running processors ({@code workers})
 * @param readers            monitor reader threads ({@code readers})
 * @param queueLimit         the bound of each domain's event queue ({@code queueLimit})
 * @param dispatch           {@code dispatch}; with {@link DispatchMode#GLOBAL_FIFO} {@code workers} is 1
 * @param journal            the journal file, or empty for none ({@code journal})
 * @param journalSync        when the journal file is forced to the disk ({@code journalSync})
 * @param commandTimeout     how long a QMP command may wait for its reply
 * @param slowThreshold      how long a processor may run before it is reported slow
 * @param processTimeout     how long a processor may run before it is interrupted ({@code processTimeout})
 * @param reloadDrainTimeout how long a plugin reload waits for the old version's processors to finish
 * @param connectTimeout     how long to wait for a monitor's QMP greeting
 * @param admin              {@code admin.*}
 * @param log                {@code log.*}
 * @param domains            {@code domains[]}, names unique
 * @param pluginSettings     {@code pluginSettings}: plugin id to that plugin's free-form section
 * @param discover           {@code discover.*}, empty when no directory is watched for sockets
 * @param metrics            {@code metrics.*}: the Prometheus listener, off by default
 * @param events             {@code events.*}: the live stream {@code qeventd events} reads
 * @param journalRotate      {@code journalRotate.*}, empty when the journal file is not rotated
 * @param kafka              {@code kafka.*}, empty when nothing is forwarded to Kafka
 * @param queueLimitTotal    the bound of all domains' queues together ({@code queueLimitTotal})
 */
public record QeventdConfig(
        String source,
        PluginsConfig plugins,
        int workers,
        int readers,
        int queueLimit,
        DispatchMode dispatch,
        Optional<Path> journal,
        JournalSync journalSync,
        Duration commandTimeout,
        Duration slowThreshold,
        Duration processTimeout,
        Duration reloadDrainTimeout,
        Duration connectTimeout,
        AdminConfig admin,
        LogConfig log,
        List<DomainConfig> domains,
        Map<String, Map<String, Object>> pluginSettings,
        Optional<DiscoverConfig> discover,
        MetricsConfig metrics,
        EventsConfig events,
        Optional<JournalRotateConfig> journalRotate,
        Optional<KafkaConfig> kafka,
        int queueLimitTotal) {

    public QeventdConfig {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(plugins, "plugins");
        Objects.requireNonNull(dispatch, "dispatch");
        Objects.requireNonNull(journal, "journal");
        Objects.requireNonNull(journalSync, "journalSync");
        Objects.requireNonNull(commandTimeout, "commandTimeout");
        Objects.requireNonNull(slowThreshold, "slowThreshold");
        Objects.requireNonNull(processTimeout, "processTimeout");
        Objects.requireNonNull(reloadDrainTimeout, "reloadDrainTimeout");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(admin, "admin");
        Objects.requireNonNull(log, "log");
        Objects.requireNonNull(discover, "discover");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(journalRotate, "journalRotate");
        Objects.requireNonNull(kafka, "kafka");
        domains = List.copyOf(domains);
        pluginSettings = immutableSettings(pluginSettings);
    }

    /**
     * The configuration used when no file is given: every default, relative paths taken from the working
     * directory.
     */
    public static QeventdConfig defaults() {
        return ConfigLoader.defaults(Path.of("").toAbsolutePath(), ProcessUser.current());
    }

    /** {@code pluginSettings.<pluginId>}, empty when the configuration has none for that plugin. */
    public Map<String, Object> pluginSettings(String pluginId) {
        return pluginSettings.getOrDefault(pluginId, Map.of());
    }

    public Optional<DomainConfig> domain(String name) {
        return domains.stream().filter(d -> d.name().equals(name)).findFirst();
    }

    /** This configuration with another plugins directory (a command-line override). */
    public QeventdConfig withPluginsDir(Path dir) {
        return new QeventdConfig(source, plugins.withDir(absolute(dir)), workers, readers, queueLimit, dispatch,
                journal, journalSync, commandTimeout, slowThreshold, processTimeout, reloadDrainTimeout,
                connectTimeout, admin, log, domains, pluginSettings, discover, metrics, events, journalRotate,
                kafka, queueLimitTotal);
    }

    /** The same configuration with {@code plugins.allowWritable} set (CLI {@code --allow-writable-plugins}). */
    public QeventdConfig withPluginsAllowWritable(boolean allow) {
        return new QeventdConfig(source, new PluginsConfig(plugins.dir(), plugins.watch(), allow), workers, readers,
                queueLimit, dispatch, journal, journalSync, commandTimeout, slowThreshold, processTimeout,
                reloadDrainTimeout, connectTimeout, admin, log, domains, pluginSettings, discover, metrics, events,
                journalRotate, kafka,
                queueLimitTotal);
    }

    /** This configuration writing its journal to {@code file} (a command-line override). */
    public QeventdConfig withJournal(Path file) {
        return new QeventdConfig(source, plugins, workers, readers, queueLimit, dispatch, Optional.of(absolute(file)),
                journalSync, commandTimeout, slowThreshold, processTimeout, reloadDrainTimeout, connectTimeout, admin,
                log, domains, pluginSettings, discover, metrics, events, journalRotate, kafka,
                queueLimitTotal);
    }

    /**
     * This configuration with {@code added} domains after its own (from {@code --qmp}).
     *
     * @throws ConfigException listing every added name that is already taken
     */
    public QeventdConfig withDomainsAdded(List<DomainConfig> added) throws ConfigException {
        Set<String> configured = new HashSet<>();
        domains.forEach(d -> configured.add(d.name()));
        Set<String> seenAdded = new HashSet<>();
        List<ConfigError> errors = new ArrayList<>();
        for (DomainConfig domain : added) {
            if (configured.contains(domain.name())) {
                errors.add(duplicate(domain.name(), "already defined in " + source));
            } else if (!seenAdded.add(domain.name())) {
                errors.add(duplicate(domain.name(), "given twice"));
            }
        }
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
        List<DomainConfig> all = new ArrayList<>(domains);
        all.addAll(added);
        return new QeventdConfig(source, plugins, workers, readers, queueLimit, dispatch, journal, journalSync,
                commandTimeout, slowThreshold, processTimeout, reloadDrainTimeout, connectTimeout, admin, log, all,
                pluginSettings, discover, metrics, events, journalRotate, kafka, queueLimitTotal);
    }

    private static ConfigError duplicate(String name, String why) {
        return new ConfigError("", 0, 0, "domains", "duplicate domain name '" + name + "' (" + why + ")");
    }

    /** Command-line paths are relative to the working directory, as a shell user expects. */
    private static Path absolute(Path path) {
        return path.toAbsolutePath().normalize();
    }

    private static Map<String, Map<String, Object>> immutableSettings(Map<String, Map<String, Object>> settings) {
        Map<String, Map<String, Object>> copy = new LinkedHashMap<>();
        settings.forEach((id, section) -> copy.put(id, Collections.unmodifiableMap(new LinkedHashMap<>(section))));
        return Collections.unmodifiableMap(copy);
    }
}
