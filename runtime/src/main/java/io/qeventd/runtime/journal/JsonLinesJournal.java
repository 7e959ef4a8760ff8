package io.qeventd.runtime.journal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal file: one JSON object per line, appended by a writer thread of its own so that no
 * reader or worker waits on the disk. Fields, in this order: time, domain, event, qemuTime, plugin,
 * pluginVersion, type, outcome, latencyMicros, processingMicros, error, then actions (what the processor
 * reported doing, an array).
 */
public final class JsonLinesJournal implements JournalSink, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(JsonLinesJournal.class);
    private static final JsonFactory JSON = new JsonFactory();

    private final Path file;
    private final BufferedWriter out;
    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean closed;

    public JsonLinesJournal(Path file) {
        this.file = file;
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open journal " + file + ": " + e.getMessage(), e);
        }
        this.writer = new Thread(this::writeLoop, "journal-writer");
        writer.setDaemon(true);
        writer.start();
    }

    public Path file() {
        return file;
    }

    @Override
    public void record(JournalRecord record) {
        if (closed) {
            log.warn("journal {} is closed; record dropped: {}", file, record);
            return;
        }
        queue.add(record);
    }

    /** Waits until every record handed in so far is written and flushed. */
    public void flush() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        queue.add(done);
        try {
            done.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("journal {}: flush did not finish: {}", file, e.toString());
        }
    }

    @Override
    public void close() {
        flush();
        closed = true;
        writer.interrupt();
        try {
            writer.join(2000);
            out.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            log.warn("closing journal {}", file, e);
        }
    }

    private void writeLoop() {
        List<Object> batch = new ArrayList<>();
        while (!closed || !queue.isEmpty()) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                if (closed) {
                    break;
                }
                continue;
            }
            queue.drainTo(batch);
            try {
                for (Object o : batch) {
                    if (o instanceof JournalRecord r) {
                        out.write(toJson(r));
                        out.write('\n');
                    }
                }
                out.flush();
            } catch (IOException e) {
                log.error("journal {}: write failed: {}", file, e.getMessage());
            }
            for (Object o : batch) {
                if (o instanceof CompletableFuture<?> f) {
                    f.complete(null);
                }
            }
            batch.clear();
        }
    }

    /** The record as one line of JSON, fields in the journal's fixed order. */
    public static String toJson(JournalRecord r) {
        StringWriter sw = new StringWriter(256);
        try (JsonGenerator g = JSON.createGenerator(sw)) {
            g.writeStartObject();
            g.writeStringField("time", DateTimeFormatter.ISO_INSTANT.format(r.time()));
            g.writeStringField("domain", r.domain());
            g.writeStringField("event", r.event());
            g.writeFieldName("qemuTime");
            if (r.qemuTime() != null && r.qemuTime().isKnown()) {
                g.writeNumber(r.qemuTime().toString());
            } else {
                g.writeNull();
            }
            g.writeStringField("plugin", r.plugin());
            g.writeStringField("pluginVersion", r.pluginVersion());
            g.writeStringField("type", r.type());
            g.writeStringField("outcome", r.outcome().journalName());
            writeLong(g, "latencyMicros", r.latencyMicros());
            writeLong(g, "processingMicros", r.processingMicros());
            g.writeStringField("error", r.error());
            g.writeArrayFieldStart("actions");
            for (String a : r.actions()) {
                g.writeString(a);
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sw.toString();
    }

    private static void writeLong(JsonGenerator g, String name, Long v) throws IOException {
        g.writeFieldName(name);
        if (v == null) {
            g.writeNull();
        } else {
            g.writeNumber(v);
        }
    }
}
