package io.qeventd.runtime.record;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/** Appends recorded lines to a file, each flushed at once so a recording cut short is still readable. */
final class RecordingWriter implements AutoCloseable {
    private final Path file;
    private final BufferedWriter out;
    private final Clock clock;
    private long lines;

    RecordingWriter(Path file, Clock clock) throws IOException {
        this.file = file;
        this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        this.clock = clock;
    }

    /** Records a message; a client's command loses its secrets first. */
    synchronized void write(RecordedLine.From from, JsonNode qmp) {
        JsonNode kept = from == RecordedLine.From.CLIENT ? Redaction.command(qmp) : qmp;
        try {
            out.write(Recording.toJson(new RecordedLine(clock.instant(), from, kept)));
            out.newLine();
            out.flush();
            lines++;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the recording " + file, e);
        }
    }

    /** Records a line seen elsewhere, with its own time; a client's command loses its secrets first. */
    synchronized void write(RecordedLine line) {
        JsonNode kept = line.from() == RecordedLine.From.CLIENT ? Redaction.command(line.qmp()) : line.qmp();
        try {
            out.write(Recording.toJson(new RecordedLine(line.at(), line.from(), kept)));
            out.newLine();
            out.flush();
            lines++;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the recording " + file, e);
        }
    }

    synchronized long lines() {
        return lines;
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}
