package io.qeventd.runtime.record;

import com.fasterxml.jackson.databind.JsonNode;
import io.qeventd.runtime.admin.AdminClient;
import io.qeventd.runtime.admin.AdminException;
import io.qeventd.runtime.admin.AdminProtocol;
import io.qeventd.runtime.admin.AdminStreamReader;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * The client's side of {@code qeventd record --domain}: asks a running daemon to record one of its domains and
 * writes what it streams into a recording file, one whole line at a time (each flushed), in the format
 * {@code qeventd record --qmp} writes. {@link #stop()} (from a signal handler) ends it between two lines, so the
 * file never ends in a torn line.
 */
public final class DomainRecording implements AutoCloseable {
    private static final long POLL_MILLIS = 200;

    private final AdminStreamReader stream;
    private final RecordingWriter writer;
    private final Path out;
    private long events;

    /** How the recording ended. */
    public enum End {
        /** The daemon ended it: the domain's monitor closed or reconnected ({@link Result#reason()} says which). */
        MONITOR_ENDED,
        /** Stopped here: a signal, or the duration passed. */
        STOPPED,
        /** This client did not keep up; the daemon cut the recording off. */
        CUT_OFF,
        /** The daemon closed the connection without an end (it stopped). */
        CONNECTION_LOST
    }

    /**
     * @param reason what the daemon said, or null
     * @param missed lines the daemon could not hand on (cut off), else 0
     */
    public record Result(End end, long events, String reason, long missed) {
    }

    private DomainRecording(AdminStreamReader stream, RecordingWriter writer, Path out) {
        this.stream = stream;
        this.writer = writer;
        this.out = out;
    }

    /**
     * Asks the daemon on {@code adminSocket} to record {@code domain}, then creates {@code out}.
     *
     * @throws AdminException when no daemon answers or it refuses (unknown or disconnected domain; the message says)
     * @throws IOException    when {@code out} cannot be created
     */
    public static DomainRecording start(Path adminSocket, String domain, Path out, Duration timeout)
            throws AdminException, IOException {
        AdminStreamReader stream = AdminClient.stream(adminSocket, AdminProtocol.RECORD,
                Recording.MAPPER.createObjectNode().put("domain", domain), timeout);
        try {
            return new DomainRecording(stream, new RecordingWriter(out, Clock.systemUTC()), out);
        } catch (IOException | RuntimeException e) {
            stream.close();
            throw e;
        }
    }

    /** QEMU's version as the daemon reported it. */
    public String qemuVersion() {
        return stream.value().path("qemu").asText("unknown");
    }

    /** Records until the daemon ends the stream, {@link #stop()}, or {@code duration} (null: no limit) passes. */
    public Result run(Duration duration) throws IOException {
        long deadline = duration == null ? Long.MAX_VALUE : System.nanoTime() + duration.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return new Result(End.STOPPED, events, null, 0);
            }
            String text = stream.next(Math.min(POLL_MILLIS, Math.max(1, left / 1_000_000)));
            if (text == null) {
                if (stream.ended()) {
                    return stream.closedHere() ? new Result(End.STOPPED, events, null, 0)
                            : new Result(End.CONNECTION_LOST, events, null, 0);
                }
                continue;
            }
            JsonNode msg = Recording.MAPPER.readTree(text);
            if (msg.has("line")) {
                RecordedLine l = Recording.fromJson("the daemon's line: ", msg.get("line"));
                writer.write(l);
                if (l.isEvent()) {
                    events++;
                }
            } else if (msg.has("end")) {
                return new Result(End.MONITOR_ENDED, events, msg.get("end").path("reason").asText(null), 0);
            } else if (msg.has("cut-off")) {
                return new Result(End.CUT_OFF, events, null, msg.get("cut-off").path("missed").asLong());
            }
        }
    }

    /** Events written so far. */
    public long events() {
        return events;
    }

    public Path file() {
        return out;
    }

    /** Ends the recording from another thread (a signal handler); {@link #run} returns at once. */
    public void stop() {
        stream.close();
    }

    @Override
    public void close() throws IOException {
        stream.close();
        writer.close();
    }
}
