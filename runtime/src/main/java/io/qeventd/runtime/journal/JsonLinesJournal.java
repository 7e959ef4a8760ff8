package io.qeventd.runtime.journal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.format.DateTimeFormatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal file: one JSON object per line. A sink of {@link Journal}, so it is called on the journal's
 * dispatch thread only: no reader or worker ever waits on the disk. Lines are buffered and flushed whenever
 * the dispatcher has caught up. Fields, in this order: time, domain, event, qemuTime, plugin,
 * pluginVersion, type, outcome, latencyMicros, processingMicros, error, then actions (what the processor
 * reported doing, an array).
 */
public final class JsonLinesJournal implements JournalSink, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(JsonLinesJournal.class);
    private static final JsonFactory JSON = new JsonFactory();
    private static final int BUFFER = 64 * 1024;

    private final Path file;
    private final Writer out;
    private final JsonGenerator lines;
    private long writeErrors;
    private boolean closed;

    public JsonLinesJournal(Path file) {
        this.file = file;
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            this.out = new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE), BUFFER);
            // One generator for the file's life: no per-record allocation of writers and generators.
            this.lines = JSON.createGenerator(out);
            lines.setRootValueSeparator(null);
            lines.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            lines.disable(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open journal " + file + ": " + e.getMessage(), e);
        }
    }

    public Path file() {
        return file;
    }

    @Override
    public synchronized void record(JournalRecord record) {
        if (closed) {
            return;
        }
        try {
            write(lines, record);
            lines.writeRaw('\n');
        } catch (IOException e) {
            writeFailed(e);
        }
    }

    @Override
    public synchronized void flush() {
        if (closed) {
            return;
        }
        try {
            lines.flush();
            out.flush();
        } catch (IOException e) {
            writeFailed(e);
        }
    }

    private void writeFailed(IOException e) {
        writeErrors++;
        if (writeErrors == 1 || writeErrors % 1000 == 0) {
            log.error("journal {}: write failed ({} time(s) so far): {}", file, writeErrors, e.getMessage());
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        flush();
        closed = true;
        try {
            lines.close();
            out.close();
        } catch (IOException e) {
            log.warn("closing journal {}: {}", file, e.getMessage());
        }
    }

    /** The record as one line of JSON, fields in the journal's fixed order. */
    public static String toJson(JournalRecord r) {
        StringWriter sw = new StringWriter(256);
        try (JsonGenerator g = JSON.createGenerator(sw)) {
            write(g, r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sw.toString();
    }

    private static void write(JsonGenerator g, JournalRecord r) throws IOException {
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
