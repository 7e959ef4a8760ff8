package io.qeventd.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The process's resident set: its peak (VmHWM) since a reset, read from /proc. */
final class RssWatch {
    private RssWatch() {
    }

    static RssWatch start() {
        try {
            // Resets VmHWM to the current RSS, so the peak read at stop is this scenario's.
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
        } catch (IOException | UnsupportedOperationException e) {
            // not permitted here: the peak is then the process's since start
        }
        return new RssWatch();
    }

    long stop() {
        return read("VmHWM:");
    }

    static long currentKib() {
        return read("VmRSS:");
    }

    private static long read(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
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
