package io.qeventd.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A process's resident set (VmRSS) and its peak (VmHWM) since a reset, read from /proc. */
final class RssWatch {
    private final Path proc;

    private RssWatch(Path proc) {
        this.proc = proc;
    }

    /** This process (the bench's own JVM, stand-in QEMUs included), its peak reset now. */
    static RssWatch start() {
        return of("self").reset();
    }

    /** Another process by id, e.g. a daemon the bench started. */
    static RssWatch of(long pid) {
        return of(Long.toString(pid));
    }

    private static RssWatch of(String pid) {
        return new RssWatch(Path.of("/proc", pid));
    }

    /** Resets VmHWM to the current RSS, so that the peak read later is of what happened since. */
    RssWatch reset() {
        try {
            Files.writeString(proc.resolve("clear_refs"), "5");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            // not permitted here: the peak is then the process's since it started
        }
        return this;
    }

    /** The peak in KiB since the last reset (or since the process started), -1 when it cannot be read. */
    long stop() {
        return peakKib();
    }

    long peakKib() {
        return read("VmHWM:");
    }

    long currentKib() {
        return read("VmRSS:");
    }

    private long read(String key) {
        try {
            for (String line : Files.readAllLines(proc.resolve("status"))) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
