package io.qeventd.runtime.admin;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a running daemon says about itself: the answer to the admin socket's {@code status} request,
 * and what {@code qeventd status --json} prints.
 *
 * @param version       the daemon's version
 * @param pid           its process id
 * @param startedAt     when it started, ISO-8601
 * @param uptimeSeconds seconds since then
 * @param domains       attached domains, by name
 * @param plugins       loaded and failed plugins
 * @param outcomes      how many journal records of each outcome (processed, skipped, coalesced, failed,
 *                      overflow, slow, unhandled), every outcome present
 * @param unhandled     events no handler took, by QMP event name
 * @param journal       the journal's file and queue (null from a daemon that does not say)
 * @param pluginState   what plugins publish: plugin id -> state key -> domain -> fields (strings, numbers,
 *                      booleans)
 * @param services      the services plugins offer one another: plugin id -> service keys
 * @param forwarding    sinks shipped beside the runtime (Kafka forwarding), by configuration section: named
 *                      figures such as records waiting in a spool
 */
public record StatusReport(String version, long pid, String startedAt, long uptimeSeconds,
                           List<DomainStatus> domains, List<PluginSummary> plugins, Map<String, Long> outcomes,
                           Map<String, Long> unhandled, JournalStatus journal,
                           Map<String, Map<String, Map<String, Map<String, Object>>>> pluginState,
                           Map<String, List<String>> services, Map<String, Map<String, Object>> forwarding) {
    /** A report without forwarding. */
    public StatusReport(String version, long pid, String startedAt, long uptimeSeconds, List<DomainStatus> domains,
                        List<PluginSummary> plugins, Map<String, Long> outcomes, Map<String, Long> unhandled,
                        JournalStatus journal, Map<String, Map<String, Map<String, Map<String, Object>>>> pluginState,
                        Map<String, List<String>> services) {
        this(version, pid, startedAt, uptimeSeconds, domains, plugins, outcomes, unhandled, journal, pluginState,
                services, Map.of());
    }

    /** A report without plugin state. */
    public StatusReport(String version, long pid, String startedAt, long uptimeSeconds, List<DomainStatus> domains,
                        List<PluginSummary> plugins, Map<String, Long> outcomes, Map<String, Long> unhandled,
                        JournalStatus journal) {
        this(version, pid, startedAt, uptimeSeconds, domains, plugins, outcomes, unhandled, journal, Map.of(),
                Map.of());
    }

    /** A report without journal or plugin state. */
    public StatusReport(String version, long pid, String startedAt, long uptimeSeconds, List<DomainStatus> domains,
                        List<PluginSummary> plugins, Map<String, Long> outcomes, Map<String, Long> unhandled) {
        this(version, pid, startedAt, uptimeSeconds, domains, plugins, outcomes, unhandled, null, Map.of(), Map.of());
    }

    public StatusReport {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(startedAt, "startedAt");
        domains = List.copyOf(domains);
        plugins = List.copyOf(plugins);
        outcomes = Collections.unmodifiableMap(new LinkedHashMap<>(outcomes));
        unhandled = Collections.unmodifiableMap(new LinkedHashMap<>(unhandled));
        // An older daemon's answer has neither.
        pluginState = pluginState == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(pluginState));
        services = services == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(services));
        forwarding = forwarding == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(forwarding));
    }
}
