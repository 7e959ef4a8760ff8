package io.qeventd.bench;

import java.util.Arrays;
import java.util.Iterator;
import java.util.Optional;

/** The scenarios {@code qeventd bench} runs, by the name {@code --scenario} takes. */
enum BenchScenario {
    WIRE("wire", "the wire limit: a raw reader on the same fake QEMU and socket (every flood's baseline)"),
    READER("reader", "the monitor reader alone"),
    PIPELINE("pipeline", "no plugin, a no-op processor (journal off, on, each journalSync), an every-event plugin"),
    LIFECYCLE("lifecycle", "the built-in lifecycle plugin's jar, journal off and on"),
    MONITOR_FLOOD("monitor-flood", "a flood spread over 100 and 1000 monitors"),
    STEADY("steady", "a steady 200 k events/s for 5 s"),
    ISOLATION("isolation", "latency while one domain's processor stalls, against global-fifo"),
    IDLE_MONITORS("idle-monitors", "1, 100 and 1000 idle monitors: heap per monitor, threads"),
    RELOAD("reload", "hot reload of the lifecycle plugin under a steady stream"),
    DAEMON_MEMORY("daemon-memory", "qeventd run as its own process: peak RSS under a flood, idle RSS per monitor");

    private final String id;
    private final String about;

    BenchScenario(String id, String about) {
        this.id = id;
        this.about = about;
    }

    String id() {
        return id;
    }

    String about() {
        return about;
    }

    /** Whether its rates are read against the wire limit, measured in the same round. */
    boolean needsWire() {
        return this == READER || this == PIPELINE || this == LIFECYCLE || this == MONITOR_FLOOD;
    }

    /** Whether {@code --rounds} repeats it. */
    boolean repeated() {
        return this == WIRE || needsWire();
    }

    static Optional<BenchScenario> byId(String id) {
        return Arrays.stream(values()).filter(s -> s.id.equals(id)).findFirst();
    }

    /** The names, for {@code --help} and completion. */
    static final class Names implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(values()).map(BenchScenario::id).iterator();
        }
    }
}
