package io.qeventd.runtime.config;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;

/** Turns a misspelt key or value into a "did you mean" hint. */
final class KeySuggestions {
    private KeySuggestions() {
    }

    /**
     * The message for a key that is not valid where it was written.
     *
     * @param valid     the keys valid here
     * @param elsewhere key paths valid in other sections ({@code plugins.watch}), for a key written at
     *                  the wrong level
     */
    static String unknownKey(String key, Collection<String> valid, Collection<String> elsewhere) {
        String message = "unknown key '" + key + "'";
        int dot = key.indexOf('.');
        if (dot > 0 && valid.contains(key.substring(0, dot))) {
            // Documentation writes nested keys dotted (plugins.dir); YAML needs them nested.
            return message + "; nested keys are written as '" + key.substring(0, dot) + ":' with '"
                    + key.substring(dot + 1) + ":' indented below it";
        }
        if (closest(key, valid).isEmpty()) {
            List<String> places = elsewhere.stream()
                    .filter(path -> path.substring(path.lastIndexOf('.') + 1).equalsIgnoreCase(key))
                    .map(path -> "'" + path + "'")
                    .toList();
            if (!places.isEmpty()) {
                return message + " (did you mean " + String.join(" or ", places) + "?)";
            }
        }
        return message + hint(key, valid, "valid keys here");
    }

    /**
     * " (did you mean 'x'?)" when one candidate is close to {@code wrong}, else "; LABEL: a, b, c" listing
     * all candidates, or "" when there are none.
     */
    static String hint(String wrong, Collection<String> candidates, String label) {
        Optional<String> closest = closest(wrong, candidates);
        if (closest.isPresent()) {
            return " (did you mean '" + closest.get() + "'?)";
        }
        return candidates.isEmpty() ? "" : "; " + label + ": " + String.join(", ", new TreeSet<>(candidates));
    }

    /** The candidate nearest to {@code wrong}, ignoring case, when it is near enough to be a typo. */
    static Optional<String> closest(String wrong, Collection<String> candidates) {
        String w = wrong.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            String c = candidate.toLowerCase(Locale.ROOT);
            // A truncated key ("hostdev") is a typo too, however many letters are missing.
            int distance = w.length() >= 3 && c.startsWith(w) ? 1 : distance(w, c);
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return bestDistance <= allowedDistance(w) ? Optional.of(best) : Optional.empty();
    }

    private static int allowedDistance(String wrong) {
        if (wrong.length() <= 4) {
            return 1;
        }
        return wrong.length() <= 8 ? 2 : 3;
    }

    /** Levenshtein distance: insertions, deletions and substitutions. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
