package io.qeventd.runtime.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qeventd.runtime.domain.DomainHandle;
import io.qeventd.runtime.domain.DomainRegistry;
import io.qeventd.runtime.journal.JournalRecord;
import io.qeventd.runtime.journal.JournalSink;
import io.qeventd.runtime.monitor.MonitorConnection;
import io.qeventd.runtime.qmp.QmpMessage;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
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
 *   <li>Connects: after each (re)connect the domain registry calls it on its own thread (never the
 *       reader), where it sends {@code query-status} and waits for the answer.</li>
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
    private final Duration queryTimeout;
    private final ObjectMapper mapper = new ObjectMapper();
    private final Map<String, RunState> states = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public RunStateTracker(DomainRegistry domains, Duration queryTimeout) {
        this.domains = domains;
        this.queryTimeout = queryTimeout;
    }

    /** Starts asking each domain for its state after every (re)connect. */
    public void start() {
        domains.onConnect(this::queryState);
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

    /** On the domain registry's connect thread: blocking is allowed there. */
    private void queryState(DomainHandle d) {
        if (closed) {
            return;
        }
        states.keySet().removeIf(name -> domains.get(name).isEmpty());
        MonitorConnection m = d.monitor();
        Instant sent = Instant.now();
        try {
            QmpMessage.Return reply = m.send("query-status", null, queryTimeout).get();
            statusOf(reply).ifPresent(s -> update(d.name(), new RunState(s, sent, "query-status")));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | RuntimeException e) {
            log.debug("domain '{}': query-status failed: {}", d.name(), e.toString());
        }
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
        closed = true;
    }
}
