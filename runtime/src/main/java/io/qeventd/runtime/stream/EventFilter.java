package io.qeventd.runtime.stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.qeventd.runtime.journal.JournalRecord;
import io.qeventd.runtime.journal.Outcome;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which journal records a client of {@code qeventd events} gets: each of domains, events and outcomes is either empty
 * (any) or the set of values it accepts; a record passes when every non-empty set holds its value.
 */
public record EventFilter(Set<String> domains, Set<String> events, Set<Outcome> outcomes) {
    public static final EventFilter ALL = new EventFilter(Set.of(), Set.of(), Set.of());

    public EventFilter {
        domains = Set.copyOf(domains);
        events = Set.copyOf(events);
        outcomes = Set.copyOf(outcomes);
    }

    public boolean matches(JournalRecord r) {
        return (domains.isEmpty() || (r.domain() != null && domains.contains(r.domain())))
                && (events.isEmpty() || (r.event() != null && events.contains(r.event())))
                && (outcomes.isEmpty() || outcomes.contains(r.outcome()));
    }

    /**
     * The outcome spelled {@code name} as in the journal (case does not matter).
     *
     * @throws IllegalArgumentException naming the value and the valid ones
     */
    public static Outcome outcome(String name) {
        for (Outcome o : Outcome.values()) {
            if (o.journalName().equals(name.toLowerCase(Locale.ROOT))) {
                return o;
            }
        }
        throw new IllegalArgumentException("unknown outcome '" + name + "'; valid outcomes: " + validOutcomes());
    }

    /** The outcomes' journal spellings, comma separated. */
    public static String validOutcomes() {
        return Arrays.stream(Outcome.values()).map(Outcome::journalName).collect(Collectors.joining(", "));
    }

    /**
     * The filter of an {@code events} request: {@code "domain"}, {@code "event"}, {@code "outcome"}, each absent, a
     * string or an array of strings.
     *
     * @throws IllegalArgumentException naming the argument and value that are wrong
     */
    public static EventFilter fromArguments(JsonNode arguments) {
        Set<Outcome> outcomes = new LinkedHashSet<>();
        for (String o : strings(arguments, "outcome")) {
            outcomes.add(outcome(o));
        }
        return new EventFilter(strings(arguments, "domain"), strings(arguments, "event"), outcomes);
    }

    private static Set<String> strings(JsonNode arguments, String field) {
        JsonNode v = arguments == null ? null : arguments.get(field);
        Set<String> out = new LinkedHashSet<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (v.isTextual()) {
            out.add(nonBlank(field, v));
            return out;
        }
        if (v.isArray()) {
            for (JsonNode e : v) {
                if (!e.isTextual()) {
                    throw new IllegalArgumentException("\"" + field + "\" must be a string or an array of strings,"
                            + " got an element " + e);
                }
                out.add(nonBlank(field, e));
            }
            return out;
        }
        throw new IllegalArgumentException("\"" + field + "\" must be a string or an array of strings, got " + v);
    }

    private static String nonBlank(String field, JsonNode v) {
        if (v.asText().isBlank()) {
            throw new IllegalArgumentException("\"" + field + "\" must not be blank");
        }
        return v.asText();
    }
}
