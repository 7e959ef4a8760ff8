package io.qeventd.runtime.domain;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.qeventd.api.Nic;
import io.qeventd.api.ResyncReason;
import io.qeventd.runtime.dispatch.HandlerRegistry;
import io.qeventd.runtime.dispatch.TableEntry;
import io.qeventd.runtime.journal.Journal;
import io.qeventd.runtime.monitor.ConnectionMonitor;
import io.qeventd.runtime.monitor.MonitorConnection;
import io.qeventd.runtime.monitor.MonitorOptions;
import io.qeventd.runtime.monitor.MonitorReactor;
import io.qeventd.runtime.work.WorkQueue;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The domains the daemon watches, each with its monitor; attach and detach while running. */
public final class DomainRegistry implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DomainRegistry.class);

    private final MonitorReactor reactor;
    private final HandlerRegistry handlers;
    private final WorkQueue queue;
    private final Journal journal;
    private static final String NO_UUID = "00000000-0000-0000-0000-000000000000";

    private final Map<String, DomainHandle> domains = new ConcurrentHashMap<>();
    private final ObjectMapper mapper = new ObjectMapper();
    private final List<Consumer<DomainHandle>> connectListeners = new CopyOnWriteArrayList<>();
    private final AfterConnect afterConnect = new AfterConnect();

    public DomainRegistry(MonitorReactor reactor, HandlerRegistry handlers, WorkQueue queue, Journal journal) {
        this.reactor = reactor;
        this.handlers = handlers;
        this.queue = queue;
        this.journal = journal;
    }

    /**
     * Starts watching a domain: opens its monitor, which connects (and reconnects) on its own.
     *
     * @throws IllegalArgumentException when a domain of that name is attached already
     */
    public DomainHandle attach(String name, SocketAddress qmp, List<Nic> nics, MonitorOptions options) {
        DomainHandle d = new DomainHandle(name, nics);
        if (domains.putIfAbsent(name, d) != null) {
            throw new IllegalArgumentException("domain '" + name + "' is attached already");
        }
        MonitorConnection m = reactor.open(name, qmp, options,
                new DomainEventListener(d, handlers, queue, journal, this::connected));
        d.monitor(m);
        log.info("domain '{}': watching {}", name, qmp);
        return d;
    }

    /**
     * Stops watching a domain: marks it inactive, closes its monitor; queued events are skipped (but for
     * handlers that run after a domain's end), and its lane goes once they are done.
     */
    public void detach(String name) {
        DomainHandle d = domains.remove(name);
        if (d == null) {
            return;
        }
        d.detached();
        MonitorConnection m = d.monitor();
        if (m != null) {
            m.close();
        }
        queue.forget(d);
        log.info("domain '{}': detached", name);
    }

    /**
     * Calls {@code listener} after each (re)connect of any domain, on a thread of the registry's own where
     * blocking and QMP commands are allowed (the reader, which reports the connect, allows neither). The
     * domain's UUID is known by then.
     */
    public void onConnect(Consumer<DomainHandle> listener) {
        connectListeners.add(listener);
    }

    /** On the reader thread: hands the connect to the registry's thread. */
    private void connected(DomainHandle d) {
        afterConnect.submit(() -> {
            learnIdentity(d);
            for (Consumer<DomainHandle> l : connectListeners) {
                try {
                    l.accept(d);
                } catch (RuntimeException e) {
                    log.warn("domain '{}': connect listener failed: {}", d.name(), e.toString(), e);
                }
            }
        });
    }

    /**
     * Asks QEMU for the domain's UUID; a QEMU started without {@code -uuid} reports the all-zero UUID,
     * which counts as unknown.
     */
    private void learnIdentity(DomainHandle d) {
        try {
            Object r = new ConnectionMonitor(d.monitor(), mapper).execute("query-uuid", null, Map.class,
                    Duration.ofSeconds(10));
            Object uuid = r instanceof Map<?, ?> map ? map.get("UUID") : null;
            d.uuid(uuid == null || NO_UUID.equals(uuid) ? null : uuid.toString());
        } catch (RuntimeException e) {
            log.debug("domain '{}': query-uuid failed: {}", d.name(), e.getMessage());
        }
    }

    public Optional<DomainHandle> get(String name) {
        return Optional.ofNullable(domains.get(name));
    }

    public Collection<DomainHandle> all() {
        return List.copyOf(domains.values());
    }

    /** Queues a resync of the given handlers on every active domain (after a plugin (re)load). */
    public void resyncActive(List<TableEntry> entries, ResyncReason reason) {
        List<TableEntry> hooked = entries.stream().filter(e -> e.handler().resync() != null).toList();
        if (hooked.isEmpty()) {
            return;
        }
        for (DomainHandle d : domains.values()) {
            if (d.isActive()) {
                queue.resync(d, hooked, reason);
            }
        }
    }

    @Override
    public void close() {
        for (String name : List.copyOf(domains.keySet())) {
            detach(name);
        }
        afterConnect.close();
    }
}
