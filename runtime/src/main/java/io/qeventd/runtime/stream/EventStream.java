package io.qeventd.runtime.stream;

import io.qeventd.runtime.config.EventsConfig;
import io.qeventd.runtime.journal.JournalRecord;
import io.qeventd.runtime.journal.JournalSink;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The live stream behind {@code qeventd events}: a journal sink that keeps the last {@code events.recent} records and
 * hands every record to each following client's bounded queue. It runs on the journal's dispatch thread and never
 * waits there: a full queue cuts its client off (see {@link Subscription}), so no client can slow the journal, and
 * through it the workers or the monitor readers.
 */
public final class EventStream implements JournalSink {
    private final RecentRecords recent;
    private final int clientBuffer;
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();

    public EventStream(EventsConfig config) {
        this.recent = new RecentRecords(config.recent());
        this.clientBuffer = config.clientBuffer();
    }

    @Override
    public void record(JournalRecord r) {
        recent.add(r);
        for (Subscription s : subscriptions) {
            s.offer(r);
        }
    }

    /** The last records, oldest first, at most {@link #recentCapacity()}. */
    public List<JournalRecord> recent() {
        return recent.snapshot();
    }

    public int recentCapacity() {
        return recent.capacity();
    }

    public int clientBuffer() {
        return clientBuffer;
    }

    /** Following clients now. */
    public int followers() {
        return subscriptions.size();
    }

    Subscription subscribe(EventFilter filter) {
        Subscription s = new Subscription(filter, clientBuffer);
        subscriptions.add(s);
        return s;
    }

    void unsubscribe(Subscription s) {
        subscriptions.remove(s);
        s.end();
    }
}
