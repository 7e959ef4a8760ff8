package io.qeventd.runtime.demo;

import io.qeventd.runtime.journal.JournalRecord;
import java.util.Locale;

/** How the demo writes its lines: who (a VM, or {@code host}) in a column, then what. */
final class DemoLines {
    static final String HOST = "host";
    private static final String RESYNC = "resync/";

    private DemoLines() {
    }

    /** Something the operator or the guest does. */
    static String action(String vm, String what) {
        return who(vm) + "> " + what;
    }

    /** A remark on what just happened. */
    static String remark(String vm, String what) {
        return who(vm) + "  " + what;
    }

    /** What the pipeline made of one event for one handler (one journal record). */
    static String outcome(JournalRecord r) {
        String what = r.event().startsWith(RESYNC)
                ? "resync after " + r.event().substring(RESYNC.length()).toLowerCase(Locale.ROOT).replace('_', ' ')
                : "event " + r.event();
        String plugin = r.plugin() == null ? "" : r.plugin() + ": ";
        String verdict = switch (r.outcome()) {
            case PROCESSED -> plugin + "processed in " + millis(r.processingMicros())
                    + (r.actions().isEmpty() ? "" : " " + r.actions());
            case UNHANDLED -> "unhandled (no plugin takes " + r.event() + ")";
            case FAILED -> plugin + "FAILED: " + r.error();
            // Normal when QEMU sends an event and exits: the domain is gone by the time a worker gets to it.
            case SKIPPED -> plugin + "skipped: " + r.error() + " (the VM was gone when its turn came)";
            case COALESCED -> plugin + "coalesced into a newer event of the same kind";
            case OVERFLOW -> plugin + "OVERFLOW: " + r.error();
            case SLOW -> plugin + "slow: " + r.error();
            case LOST -> "LOST: " + r.error();
        };
        return who(r.domain()) + "  " + what + " -> " + verdict;
    }

    /** A line a plugin logged while it processed an event of {@code vm}. */
    static String pluginLog(String vm, String plugin, String message) {
        return who(vm == null ? "" : vm) + "    [" + plugin + "] " + message;
    }

    /** A change a plugin would have made to the host's network (dry run). */
    static String host(String line) {
        return who(HOST) + line;
    }

    private static String who(String name) {
        return String.format("%-7s", name);
    }

    private static String millis(Long micros) {
        return micros == null ? "?" : String.format(Locale.ROOT, "%.1f ms", micros / 1000.0);
    }
}
