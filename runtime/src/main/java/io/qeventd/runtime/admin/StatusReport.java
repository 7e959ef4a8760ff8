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
 * @param journal       the journal's file and queue
 */
public record StatusReport(String version, long pid, String startedAt, long uptimeSeconds,
                           List<DomainStatus> domains, List<PluginSummary> plugins, Map<String, Long> outcomes,
                           Map<String, Long> unhandled, JournalStatus journal) {
    public StatusReport {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(startedAt, "startedAt");
        domains = List.copyOf(domains);
        plugins = List.copyOf(plugins);
        outcomes = Collections.unmodifiableMap(new LinkedHashMap<>(outcomes));
        unhandled = Collections.unmodifiableMap(new LinkedHashMap<>(unhandled));
    }
}
