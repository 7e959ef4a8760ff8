package io.qeventd.runtime.domain;

import io.qeventd.api.ResyncReason;
import io.qeventd.runtime.dispatch.EventTable;
import io.qeventd.runtime.dispatch.HandlerRegistry;
import io.qeventd.runtime.dispatch.TableEntry;
import io.qeventd.runtime.journal.Journal;
import io.qeventd.runtime.journal.JournalRecord;
import io.qeventd.runtime.journal.Outcome;
import io.qeventd.runtime.monitor.MonitorConnection;
import io.qeventd.runtime.monitor.MonitorListener;
import io.qeventd.runtime.qmp.QmpMessage;
import io.qeventd.runtime.work.WorkItem;
import io.qeventd.runtime.work.WorkQueue;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * Turns a domain's monitor traffic into process events, on the reader thread: look the event up in
 * the table, decode its data for each handler, queue a work item. Nothing here blocks or talks to QEMU.
 */
final class DomainEventListener implements MonitorListener {
    private final DomainHandle domain;
    private final HandlerRegistry registry;
    private final WorkQueue queue;
    private final Journal journal;
    private final Consumer<DomainHandle> onConnect;

    DomainEventListener(DomainHandle domain, HandlerRegistry registry, WorkQueue queue, Journal journal,
                        Consumer<DomainHandle> onConnect) {
        this.domain = domain;
        this.registry = registry;
        this.queue = queue;
        this.journal = journal;
        this.onConnect = onConnect;
    }

    @Override
    public void event(MonitorConnection monitor, QmpMessage.Event event, long receivedNanos, Instant received) {
        EventTable table = registry.table();
        List<TableEntry> entries = table.lookup(event.name());
        long connection = domain.connection();
        long seq = domain.nextSeq();
        if (entries.isEmpty()) {
            journal.record(new JournalRecord(received, domain.name(), event.name(), event.timestamp(), null, null, null,
                    Outcome.UNHANDLED, null, null, null, List.of(), connection, seq, event.data()));
        }
        // The raw data goes to the lane; decoding into plugin types happens on the worker.
        for (TableEntry entry : entries) {
            queue.submit(WorkItem.event(domain, entry, event.data(), event.name(), event.timestamp(), receivedNanos,
                    received, connection, seq));
        }
        if ("RESET".equals(event.name())) {
            queue.resync(domain, table.withResync(), ResyncReason.RESET);
        }
    }

    @Override
    public void connected(MonitorConnection monitor, QmpMessage.Greeting greeting, boolean reconnected) {
        // The reader may negotiate before attach() has stored the connection it opened: after-connect work
        // and resyncs need it now.
        domain.monitor(monitor);
        domain.newConnection();
        queue.resync(domain, registry.table().withResync(),
                reconnected ? ResyncReason.RECONNECTED : ResyncReason.CONNECTED);
        onConnect.accept(domain);
    }
}
