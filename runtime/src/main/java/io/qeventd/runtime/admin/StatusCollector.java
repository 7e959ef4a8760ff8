package io.qeventd.runtime.admin;

import io.qeventd.runtime.domain.DomainHandle;
import io.qeventd.runtime.domain.DomainRegistry;
import io.qeventd.runtime.journal.Journal;
import io.qeventd.runtime.journal.JournalHealth;
import io.qeventd.runtime.monitor.MonitorConnection;
import io.qeventd.runtime.monitor.MonitorState;
import io.qeventd.runtime.plugin.PluginLifecycle;
import io.qeventd.runtime.plugin.PluginStatus;
import io.qeventd.runtime.state.StateRegistry;
import io.qeventd.runtime.work.WorkQueue;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** Puts the daemon's status together from its parts; safe to call from any thread but a monitor reader. */
public final class StatusCollector {
    private final DomainRegistry domains;
    private final WorkQueue queue;
    private final Supplier<List<PluginStatus>> plugins;
    private final Journal journal;
    private final OutcomeCounters counters;
    private final RunStateTracker runStates;
    private final Supplier<Optional<JournalHealth>> journalFile;
    private final StateRegistry states;
    private volatile Supplier<Map<String, Map<String, Object>>> forwarding = Map::of;
    private final Instant startedAt = Instant.now();

    /**
     * @param plugins  the plugin host's status (it may block briefly: the host serialises its calls)
     * @param counters a sink already added to {@code journal}
     * @param runStates a sink already added to {@code journal}
     */
    public StatusCollector(DomainRegistry domains, WorkQueue queue, Supplier<List<PluginStatus>> plugins,
                           Journal journal, OutcomeCounters counters, RunStateTracker runStates,
                           Supplier<Optional<JournalHealth>> journalFile) {
        this(domains, queue, plugins, journal, counters, runStates, journalFile, null);
    }

    /**
     * @param journalFile the journal file's state, when there is one
     * @param states      what plugins publish, shown per plugin (null: none)
     */
    public StatusCollector(DomainRegistry domains, WorkQueue queue, Supplier<List<PluginStatus>> plugins,
                           Journal journal, OutcomeCounters counters, RunStateTracker runStates,
                           Supplier<Optional<JournalHealth>> journalFile, StateRegistry states) {
        this.states = states;
        this.domains = domains;
        this.queue = queue;
        this.plugins = plugins;
        this.journal = journal;
        this.counters = counters;
        this.runStates = runStates;
        this.journalFile = journalFile;
    }

    /** Where the status of sinks shipped beside the runtime (forwarders) comes from. */
    public void forwarding(Supplier<Map<String, Map<String, Object>>> source) {
        this.forwarding = source;
    }

    public StatusReport report() {
        List<DomainStatus> ds = domains.all().stream()
                .sorted(Comparator.comparing(DomainHandle::name))
                .map(this::domain)
                .toList();
        Map<String, String> wedged = queue.wedged();
        List<PluginSummary> ps = plugins.get().stream()
                .map(p -> {
                    // A wedged plugin is still loaded; its row says why its handlers no longer run.
                    String wedge = p.state() == PluginLifecycle.STARTED ? wedged.get(p.id()) : null;
                    return new PluginSummary(p.id(), p.version(), wedge != null ? PluginLifecycle.WEDGED : p.state(),
                            counters.handled(p.id()), counters.failed(p.id()), p.reloads(),
                            wedge != null ? "wedged: " + wedge : p.error());
                })
                .toList();
        Map<String, Long> outcomes = new LinkedHashMap<>();
        journal.counts().forEach((o, n) -> outcomes.put(o.journalName(), n));
        Instant now = Instant.now();
        return new StatusReport(version(), ProcessHandle.current().pid(),
                startedAt.truncatedTo(ChronoUnit.MILLIS).toString(), Duration.between(startedAt, now).toSeconds(),
                ds, ps, outcomes, counters.unhandled(), journal(), states == null ? Map.of() : states.snapshot(),
                states == null ? Map.of() : states.servicesByPlugin(), forwarding.get());
    }

    private JournalStatus journal() {
        JournalHealth h = journalFile.get().orElse(null);
        long queueLost = journal.lost();
        if (h == null) {
            return new JournalStatus(null, "none", null, null, 0, queueLost, journal.backlog());
        }
        return new JournalStatus(h.file(), h.ok() ? "ok" : "error", h.error(),
                h.since() == null ? null : h.since().toString(), h.waiting(), h.lost() + queueLost, journal.backlog());
    }

    private DomainStatus domain(DomainHandle d) {
        MonitorConnection m = d.monitor();
        MonitorState state = m == null ? MonitorState.CONNECTING : m.state();
        String runState = runStates.runState(d.name()).map(RunState::state).orElse(RunState.UNKNOWN);
        return new DomainStatus(d.name(), state == MonitorState.RUNNING,
                state.name().toLowerCase(Locale.ROOT).replace('_', '-'), runState, queue.depth(d.name()),
                m == null ? 0 : m.stats().events());
    }

    /** The version in the runtime jar's manifest; a build from the source tree has none. */
    public static String version() {
        String v = StatusCollector.class.getPackage().getImplementationVersion();
        return v == null ? "development build" : v;
    }
}
