package io.qeventd.runtime.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qeventd.runtime.domain.DomainHandle;
import io.qeventd.runtime.domain.DomainRegistry;
import io.qeventd.runtime.journal.JournalRecord;
import io.qeventd.runtime.journal.JournalSink;
import io.qeventd.runtime.monitor.MonitorConnection;
import io.qeventd.runtime.monitor.MonitorState;
import io.qeventd.runtime.qmp.QmpMessage;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows each domain's run state without taking a handler's place in the pipeline and without ever
 * talking to QEMU from a monitor reader:
 *
 * <ul>
 *   <li>Events: as a journal sink it sees every event the pipeline took in (each ends in at least one
 *       journal record, handled or not) and maps the run-state ones (STOP, RESUME, SHUTDOWN, SUSPEND,
 *       WAKEUP, GUEST_PANICKED) to QEMU's state names.</li>
 *   <li>Connects: a thread of its own looks at each monitor a few times a second; after each new
 *       negotiation it sends {@code query-status} from that thread and handles the answer there too.</li>
 * </ul>
 *
 * <p>Journal records of one domain may reach this sink later than the answer to a query (they are
 * written when a worker has processed the event), so the two are ordered by QEMU's clock instead of by
 * arrival: an event counts from its timestamp, a query-status answer from the moment it was sent. An
 * event stamped after the query was sent wins, which is right whether QEMU sent it before or after it
 * answered: in the first case the answer already shows its state.
 */
public final class RunStateTracker implements JournalSink, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RunStateTracker.class);
    private static final Map<String, String> STATE_AFTER = Map.of(
            "STOP", "paused",
            "RESUME", "running",
            "SHUTDOWN", "shutdown",
            "SUSPEND", "suspended",
            "WAKEUP", "running",
            "GUEST_PANICKED", "guest-panicked");

    private final DomainRegistry domains;
    private final Duration pollInterval;
    private final Duration queryTimeout;
    private final ObjectMapper mapper = new ObjectMapper();
    private final Map<String, RunState> states = new ConcurrentHashMap<>();
    /** Per domain, the monitor and its connect count last queried; touched only on the tracker thread. */
    private final Map<String, Queried> queried = new ConcurrentHashMap<>();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "qeventd-run-state");
        t.setDaemon(true);
        return t;
    });

    private record Queried(MonitorConnection monitor, long connects) {
    }

    public RunStateTracker(DomainRegistry domains, Duration pollInterval, Duration queryTimeout) {
        this.domains = domains;
        this.pollInterval = pollInterval;
        this.queryTimeout = queryTimeout;
    }

    /** Starts watching the monitors for new connections. */
    public void start() {
        thread.scheduleWithFixedDelay(this::queryNewConnections, 0, pollInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The domain's last known run state. */
    public Optional<RunState> runState(String domain) {
        return Optional.ofNullable(states.get(domain));
    }

    @Override
    public void record(JournalRecord r) {
        String state = STATE_AFTER.get(r.event());
        if (state == null) {
            return;
        }
        Instant at = r.qemuTime() != null && r.qemuTime().isKnown() ? r.qemuTime().toInstant() : r.time();
        update(r.domain(), new RunState(state, at, r.event()));
    }

    private void update(String domain, RunState next) {
        states.compute(domain, (d, current) -> next.supersedes(current) ? next : current);
    }

    private void queryNewConnections() {
        try {
            for (DomainHandle d : domains.all()) {
                MonitorConnection m = d.monitor();
                if (m == null || m.state() != MonitorState.RUNNING) {
                    continue;
                }
                long connects = m.stats().connects();
                Queried last = queried.get(d.name());
                if (last != null && last.monitor() == m && last.connects() == connects) {
                    continue;
                }
                queried.put(d.name(), new Queried(m, connects));
                query(d.name(), m);
            }
            queried.keySet().removeIf(name -> domains.get(name).isEmpty());
            states.keySet().removeIf(name -> domains.get(name).isEmpty());
        } catch (RuntimeException e) {
            log.warn("run-state tracker: {}", e.toString(), e);
        }
    }

    private void query(String domain, MonitorConnection m) {
        Instant sent = Instant.now();
        m.send("query-status", null, queryTimeout).whenCompleteAsync((reply, error) -> {
            if (error != null) {
                log.debug("domain '{}': query-status failed: {}", domain, error.toString());
                return;
            }
            statusOf(reply).ifPresent(s -> update(domain, new RunState(s, sent, "query-status")));
        }, thread);
    }

    private Optional<String> statusOf(QmpMessage.Return reply) {
        try {
            JsonNode status = mapper.readTree(reply.value()).path("status");
            return status.isTextual() ? Optional.of(status.asText()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
