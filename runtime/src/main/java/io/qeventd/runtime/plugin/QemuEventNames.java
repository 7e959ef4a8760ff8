package io.qeventd.runtime.plugin;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The names of the events QEMU can send: the typed event catalogue's ({@code io.qeventd.events.QemuEvents},
 * which the distribution puts beside the runtime), or, where the catalogue is not on the class path, QEMU 7.2's
 * QMP schema kept as a resource (derived once from {@code query-qmp-schema}). Both are checked against a real
 * QEMU by tests. A handler for a name outside them is most likely a typo, after which the real event would go
 * unhandled.
 */
public final class QemuEventNames {
    private static final String RESOURCE = "qemu-events.txt";
    private static final String CATALOGUE = "io.qeventd.events.QemuEvents";
    private static final Set<String> FROM_CATALOGUE = fromCatalogue();
    private static final Set<String> NAMES = FROM_CATALOGUE != null ? FROM_CATALOGUE : read();

    private QemuEventNames() {
    }

    /** Where the list comes from, for messages. */
    public static String source() {
        return FROM_CATALOGUE != null ? "the event catalogue (QEMU 7.2)" : "QEMU 7.2's QMP schema";
    }

    /** The catalogue's event names, or null when the catalogue is not on the class path. */
    private static Set<String> fromCatalogue() {
        try {
            Class<?> c = Class.forName(CATALOGUE, true, QemuEventNames.class.getClassLoader());
            Object payloads = c.getField("PAYLOADS").get(null);
            return payloads instanceof java.util.Map<?, ?> m
                    ? Set.copyOf(m.keySet().stream().map(String::valueOf).toList()) : null;
        } catch (ReflectiveOperationException | LinkageError e) {
            return null;
        }
    }

    public static Set<String> all() {
        return NAMES;
    }

    public static boolean isKnown(String event) {
        return NAMES.contains(event);
    }

    /** The known name closest to {@code event}, if one is close enough to be a likely typo. */
    public static Optional<String> closest(String event) {
        int limit = Math.max(2, event.length() / 3);
        return NAMES.stream()
                .map(n -> new Candidate(n, distance(event, n)))
                .filter(c -> c.distance() <= limit)
                .min(Comparator.comparingInt(Candidate::distance).thenComparing(Candidate::name))
                .map(Candidate::name);
    }

    private record Candidate(String name, int distance) {
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(substitution, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    private static Set<String> read() {
        try (InputStream in = QemuEventNames.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCE + " is missing from the runtime jar");
            }
            Set<String> names = new TreeSet<>();
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                String name = line.strip();
                if (!name.isEmpty() && !name.startsWith("#")) {
                    names.add(name);
                }
            }
            return Set.copyOf(names);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
