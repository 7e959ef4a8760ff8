package io.qeventd.runtime.stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.qeventd.runtime.admin.AdminStream;
import io.qeventd.runtime.admin.AdminStreamCommand;
import io.qeventd.runtime.journal.JournalJson;
import io.qeventd.runtime.journal.JournalRecord;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The admin command {@code events}: journal records as {@code {"record": RECORD}} lines (RECORD as the journal file
 * spells it, with the event's {@code data} when asked), filtered here in the daemon. Without {@code "follow"}: the
 * recent ones, then {@code {"end": {"records": N, "recent": CAPACITY}}}. With it: every record from now on, until the
 * client goes; a client that falls {@code events.clientBuffer} records behind gets
 * {@code {"cut-off": {"missed": N, "buffer": B}}} as its last line.
 */
public final class EventsAdminCommand implements AdminStreamCommand {
    /** How long the writer waits for a record before it looks whether its client is still there. */
    private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    /** Records written at once, about this many characters' worth at most. */
    private static final int BATCH_BYTES = 64 * 1024;

    private final EventStream stream;

    public EventsAdminCommand(EventStream stream) {
        this.stream = stream;
    }

    @Override
    public void stream(JsonNode arguments, AdminStream out) throws IOException {
        if (arguments != null && !arguments.isNull() && !arguments.isObject()) {
            throw new IllegalArgumentException("\"arguments\" must be an object, got " + arguments.getNodeType());
        }
        EventFilter filter = EventFilter.fromArguments(arguments);
        boolean follow = flag(arguments, "follow");
        boolean data = flag(arguments, "data");
        if (!follow) {
            recent(filter, data, out);
            return;
        }
        Subscription s = stream.subscribe(filter);
        try {
            out.begin(Map.of("follow", true, "buffer", stream.clientBuffer()));
            List<String> batch = new ArrayList<>();
            while (true) {
                JournalRecord r = s.poll(IDLE_NANOS);
                if (r == null) {
                    if (s.isCut()) {
                        out.line(cutOff(s.endCut(), stream.clientBuffer()));
                        return;
                    }
                    if (Thread.currentThread().isInterrupted() || out.clientGone()) {
                        return;
                    }
                    continue;
                }
                // What is queued goes out in one write, a few hundred records at most.
                int bytes = 0;
                do {
                    String line = recordLine(r, data);
                    batch.add(line);
                    bytes += line.length();
                } while (bytes < BATCH_BYTES && (r = s.poll(0)) != null);
                if (s.isCut()) {
                    // Fell behind: what was taken but not written is missed too.
                    out.line(cutOff(s.endCut() + batch.size(), stream.clientBuffer()));
                    return;
                }
                out.lines(batch);
                batch.clear();
            }
        } finally {
            stream.unsubscribe(s);
        }
    }

    private void recent(EventFilter filter, boolean data, AdminStream out) throws IOException {
        List<JournalRecord> records = stream.recent().stream().filter(filter::matches).toList();
        out.begin(Map.of("follow", false, "recent", stream.recentCapacity()));
        for (JournalRecord r : records) {
            out.line(recordLine(r, data));
        }
        out.line("{\"end\":{\"records\":" + records.size() + ",\"recent\":" + stream.recentCapacity() + "}}");
    }

    /** A record's line on the stream. */
    static String recordLine(JournalRecord r, boolean data) {
        return "{\"record\":" + JournalJson.toJson(r, data) + "}";
    }

    static String cutOff(long missed, int buffer) {
        return "{\"cut-off\":{\"missed\":" + missed + ",\"buffer\":" + buffer + "}}";
    }

    private static boolean flag(JsonNode arguments, String name) {
        JsonNode v = arguments == null ? null : arguments.get(name);
        if (v == null || v.isNull()) {
            return false;
        }
        if (!v.isBoolean()) {
            throw new IllegalArgumentException("\"" + name + "\" must be true or false, got " + v);
        }
        return v.asBoolean();
    }
}
