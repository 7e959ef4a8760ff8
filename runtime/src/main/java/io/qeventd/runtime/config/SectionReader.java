package io.qeventd.runtime.config;

import io.qeventd.runtime.config.YamlNode.Entry;
import io.qeventd.runtime.config.YamlNode.Mapping;
import io.qeventd.runtime.config.YamlNode.Mark;
import io.qeventd.runtime.config.YamlNode.Scalar;
import io.qeventd.runtime.config.YamlNode.ScalarKind;
import io.qeventd.runtime.config.YamlNode.Sequence;
import java.math.BigInteger;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads the keys of one YAML mapping as typed values, one call per key. A value that is missing gets
 * its default; a value that is wrong is reported with its position and replaced by the default (or a
 * placeholder), so that reading goes on and every problem of the file is found. Keys nobody asked for
 * are handed to the context as unknown when the section is finished.
 */
final class SectionReader {
    private final Mapping node;
    private final String path;
    private final BindingContext context;
    private final Set<String> asked = new LinkedHashSet<>();

    SectionReader(Mapping node, String path, BindingContext context) {
        this.node = node;
        this.path = path;
        this.context = context;
    }

    /** Runs {@code body} on this section, then reports the keys it did not read. */
    <T> T read(Function<SectionReader, T> body) {
        T result = body.apply(this);
        for (Entry entry : node.entries().values()) {
            if (!asked.contains(entry.key())) {
                context.unknownKey(entry, path, asked);
            }
        }
        return result;
    }

    boolean has(String key) {
        return value(key) != null;
    }

    int integer(String key, int defaultValue, int min) {
        YamlNode v = value(key);
        if (v == null) {
            return defaultValue;
        }
        String expected = "an integer >= " + min;
        if (v instanceof Scalar s && s.kind() == ScalarKind.INTEGER) {
            if (s.value() instanceof Integer i && i >= min) {
                return i;
            }
            BigInteger given = new BigInteger(s.value().toString());
            boolean tooLarge = given.compareTo(BigInteger.valueOf(Integer.MAX_VALUE)) > 0;
            return mismatch(key, v, tooLarge ? expected + " and <= " + Integer.MAX_VALUE : expected, s.text(),
                    defaultValue);
        }
        if (v instanceof Scalar s && s.kind() == ScalarKind.DECIMAL) {
            return mismatch(key, v, expected, s.text(), defaultValue);
        }
        return mismatch(key, v, expected, v.describe(), defaultValue);
    }

    boolean bool(String key, boolean defaultValue) {
        YamlNode v = value(key);
        if (v == null) {
            return defaultValue;
        }
        if (v instanceof Scalar s && s.value() instanceof Boolean b) {
            return b;
        }
        return mismatch(key, v, "true or false", v.describe(), defaultValue);
    }

    /** A duration greater than zero. */
    Duration duration(String key, Duration defaultValue) {
        YamlNode v = value(key);
        if (v == null) {
            return defaultValue;
        }
        if (!(v instanceof Scalar s) || s.kind() == ScalarKind.BOOLEAN || s.kind() == ScalarKind.NULL) {
            return mismatch(key, v, DurationSyntax.EXPECTED, v.describe(), defaultValue);
        }
        Duration d;
        try {
            d = DurationSyntax.parse(s.text());
        } catch (IllegalArgumentException e) {
            return problem(key, v, e.getMessage(), defaultValue);
        }
        if (d.isZero() || d.isNegative()) {
            return problem(key, v, "expected a duration greater than zero, got '" + s.text() + "'", defaultValue);
        }
        return d;
    }

    /** A size of at least {@code min} bytes ({@link SizeSyntax}). */
    long size(String key, long defaultValue, long min) {
        YamlNode v = value(key);
        if (v == null) {
            return defaultValue;
        }
        if (!(v instanceof Scalar s) || s.kind() == ScalarKind.BOOLEAN || s.kind() == ScalarKind.NULL
                || s.kind() == ScalarKind.DECIMAL) {
            return mismatch(key, v, SizeSyntax.EXPECTED, v.describe(), defaultValue);
        }
        long size;
        try {
            size = SizeSyntax.parse(s.text());
        } catch (IllegalArgumentException e) {
            return problem(key, v, e.getMessage(), defaultValue);
        }
        if (size < min) {
            return problem(key, v, "expected a size of at least " + SizeSyntax.format(min) + ", got '" + s.text()
                    + "'", defaultValue);
        }
        return size;
    }

    /** A value that {@code parse} accepts, or empty when absent; what it throws is reported at the value. */
    <T> Optional<T> optionalParsed(String key, String what, Function<String, T> parse) {
        YamlNode v = value(key);
        if (v == null || v instanceof Scalar s && s.isNull()) {
            return Optional.empty();
        }
        if (!(v instanceof Scalar s) || s.kind() != ScalarKind.STRING) {
            return mismatch(key, v, what + " (string)", v.describe(), Optional.empty());
        }
        try {
            return Optional.of(parse.apply(s.text()));
        } catch (IllegalArgumentException e) {
            return problem(key, v, e.getMessage(), Optional.empty());
        }
    }

    /** A mapping of names to scalar values, kept as strings ({@code kafka.properties}). */
    Map<String, String> stringMap(String key) {
        YamlNode v = value(key);
        if (v == null || v instanceof Scalar s && s.isNull()) {
            return Map.of();
        }
        if (!(v instanceof Mapping mapping)) {
            return problem(key, v, "expected a mapping of names to values, got " + v.describe(), Map.of());
        }
        Map<String, String> result = new LinkedHashMap<>();
        for (Entry entry : mapping.entries().values()) {
            if (entry.value() instanceof Scalar s && !s.isNull()) {
                result.put(entry.key(), s.text());
            } else {
                context.errors().add(entry.value().mark(), keyPath(key) + "." + entry.key(),
                        "expected a value (string, number or boolean), got " + entry.value().describe());
            }
        }
        return result;
    }

    /** One of {@code type}'s constants, written lower case with '-' for '_' ({@code global-fifo}). */
    <E extends Enum<E>> E choice(String key, Class<E> type, E defaultValue) {
        YamlNode v = value(key);
        if (v == null) {
            return defaultValue;
        }
        List<String> names = Arrays.stream(type.getEnumConstants()).map(SectionReader::configName).toList();
        if (v instanceof Scalar s && s.kind() == ScalarKind.STRING) {
            for (E constant : type.getEnumConstants()) {
                if (configName(constant).equalsIgnoreCase(s.text())) {
                    return constant;
                }
            }
        }
        String expected = "one of " + String.join(", ", names);
        String hint = v instanceof Scalar s && s.kind() == ScalarKind.STRING
                ? KeySuggestions.closest(s.text(), names).map(n -> " (did you mean '" + n + "'?)").orElse("")
                : "";
        return problem(key, v, "expected " + expected + ", got " + v.describe() + hint, defaultValue);
    }

    /** A string that {@code check} accepts; missing is an error reported at this section. */
    String requiredString(String key, String what, Function<String, Optional<String>> check) {
        YamlNode v = value(key);
        if (v == null) {
            return missing(key, what, "");
        }
        return checkedString(key, v, what, check).orElse("");
    }

    /** A string that {@code check} accepts; empty when the key is absent or empty. */
    Optional<String> optionalString(String key, String what, Function<String, Optional<String>> check) {
        YamlNode v = value(key);
        if (v == null || v instanceof Scalar s && s.isNull()) {
            return Optional.empty();
        }
        return checkedString(key, v, what, check);
    }

    String string(String key, String what, String defaultValue, Function<String, Optional<String>> check) {
        YamlNode v = value(key);
        if (v == null) {
            return defaultValue;
        }
        return checkedString(key, v, what, check).orElse(defaultValue);
    }

    /** A path, relative ones taken from the configuration file's directory. */
    Path path(String key, String what, Path defaultValue) {
        YamlNode v = value(key);
        if (v == null) {
            return defaultValue;
        }
        return checkedPath(key, v, what).orElse(defaultValue);
    }

    Path requiredPath(String key, String what) {
        YamlNode v = value(key);
        if (v == null) {
            return missing(key, what, context.resolve(""));
        }
        return checkedPath(key, v, what).orElse(context.resolve(""));
    }

    /** As {@link #requiredPath(String, String)}, refusing a valid path that {@code check} finds a problem with. */
    Path requiredPath(String key, String what, Function<Path, Optional<String>> check) {
        YamlNode v = value(key);
        if (v == null) {
            return missing(key, what, context.resolve(""));
        }
        Optional<Path> p = checkedPath(key, v, what);
        if (p.isEmpty()) {
            return context.resolve("");
        }
        return check.apply(p.get()).map(problem -> problem(key, v, problem, p.get())).orElse(p.get());
    }

    /** A path, or empty when the key is absent or empty ({@code journal: null}). */
    Optional<Path> optionalPath(String key, String what) {
        YamlNode v = value(key);
        if (v == null || v instanceof Scalar s && s.isNull()) {
            return Optional.empty();
        }
        return checkedPath(key, v, what);
    }

    /**
     * A nested section read by {@code body}. When it is absent or empty {@code body} still runs, on an
     * empty mapping, so that the section's defaults are written in one place.
     */
    <T> T section(String key, Function<SectionReader, T> body) {
        YamlNode v = value(key);
        Mapping mapping = v instanceof Mapping m ? m : Mapping.empty(v == null ? node.mark() : v.mark());
        if (v != null && !(v instanceof Mapping) && !(v instanceof Scalar s && s.isNull())) {
            problem(key, v, "expected a mapping of keys, got " + v.describe(), null);
        }
        return new SectionReader(mapping, keyPath(key), context).read(body);
    }

    /** A nested section that is only there when written; absent or empty gives empty. */
    <T> Optional<T> optionalSection(String key, Function<SectionReader, T> body) {
        YamlNode v = value(key);
        if (v == null || v instanceof Scalar s && s.isNull()) {
            return Optional.empty();
        }
        if (!(v instanceof Mapping mapping)) {
            return problem(key, v, "expected a mapping of keys, got " + v.describe(), Optional.empty());
        }
        return Optional.of(new SectionReader(mapping, keyPath(key), context).read(body));
    }

    /** A list whose items are mappings, each read by {@code body}; absent or empty gives an empty list. */
    <T> List<T> list(String key, String itemWhat, Function<SectionReader, T> body) {
        YamlNode v = value(key);
        if (v == null || v instanceof Scalar s && s.isNull()) {
            return List.of();
        }
        if (!(v instanceof Sequence sequence)) {
            String hint = v instanceof Mapping ? " (start each item with '- ')" : "";
            return problem(key, v, "expected a list, got " + v.describe() + hint, List.of());
        }
        List<T> result = new ArrayList<>();
        for (int i = 0; i < sequence.items().size(); i++) {
            YamlNode item = sequence.items().get(i);
            String itemPath = keyPath(key) + "[" + i + "]";
            if (item instanceof Mapping mapping) {
                result.add(new SectionReader(mapping, itemPath, context).read(body));
            } else {
                context.errors().add(item.mark(), itemPath,
                        "expected " + itemWhat + " (a mapping of keys), got " + item.describe());
            }
        }
        return result;
    }

    /**
     * A mapping of names to free-form mappings ({@code pluginSettings}), kept as plain maps, lists and
     * scalars; nothing inside is checked.
     */
    Map<String, Map<String, Object>> freeFormSections(String key, String sectionWhat) {
        YamlNode v = value(key);
        if (v == null || v instanceof Scalar s && s.isNull()) {
            return Map.of();
        }
        if (!(v instanceof Mapping mapping)) {
            return problem(key, v, "expected a mapping of keys, got " + v.describe(), Map.of());
        }
        Map<String, Map<String, Object>> result = new LinkedHashMap<>();
        for (Entry entry : mapping.entries().values()) {
            YamlNode section = entry.value();
            if (section instanceof Mapping m) {
                result.put(entry.key(), m.plain());
            } else if (section instanceof Scalar s && s.isNull()) {
                result.put(entry.key(), Map.of());
            } else {
                context.errors().add(section.mark(), keyPath(key) + "." + entry.key(),
                        "expected " + sectionWhat + " (a mapping of keys), got " + section.describe());
            }
        }
        return result;
    }

    /**
     * Reports {@code value} of {@code key} when an earlier item of the same list already used it
     * ({@code seen} maps values to where they were first written). Blank values were reported already.
     */
    void unique(String key, String value, Map<String, Mark> seen, String what) {
        YamlNode v = node.entries().containsKey(key) ? node.entries().get(key).value() : null;
        if (v == null || value.isBlank()) {
            return;
        }
        Mark first = seen.putIfAbsent(value, v.mark());
        if (first != null) {
            problem(key, v, "duplicate " + what + " '" + value + "' (first at line " + first.line() + ")", null);
        }
    }

    /**
     * Reports a problem with {@code key}'s value that only the caller can see (one key against another);
     * the key must be present.
     */
    void reject(String key, String message) {
        YamlNode v = node.entries().get(key).value();
        problem(key, v, message, null);
    }

    static String configName(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private Optional<String> checkedString(String key, YamlNode v, String what,
                                           Function<String, Optional<String>> check) {
        if (!(v instanceof Scalar s) || s.kind() != ScalarKind.STRING) {
            return mismatch(key, v, what + " (string)", v.describe(), Optional.empty());
        }
        Optional<String> problem = check.apply(s.text());
        if (problem.isPresent()) {
            return problem(key, v, problem.get(), Optional.empty());
        }
        return Optional.of(s.text());
    }

    private Optional<Path> checkedPath(String key, YamlNode v, String what) {
        if (!(v instanceof Scalar s) || s.kind() != ScalarKind.STRING) {
            return mismatch(key, v, what + " (string)", v.describe(), Optional.empty());
        }
        if (s.text().isEmpty()) {
            return mismatch(key, v, what, "an empty string", Optional.empty());
        }
        try {
            return Optional.of(context.resolve(s.text()));
        } catch (InvalidPathException e) {
            return problem(key, v, "'" + s.text() + "' is not a valid path: " + e.getReason(), Optional.empty());
        }
    }

    private YamlNode value(String key) {
        asked.add(key);
        context.noteKey(keyPath(key));
        Entry entry = node.entries().get(key);
        return entry == null ? null : entry.value();
    }

    private String keyPath(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private <T> T missing(String key, String what, T placeholder) {
        // Reported at the mapping that lacks the key: there is no better place to point at.
        context.errors().add(node.mark(), path, "missing required key '" + key + "' (" + what + ")");
        return placeholder;
    }

    private <T> T mismatch(String key, YamlNode v, String expected, String got, T fallback) {
        return problem(key, v, "expected " + expected + ", got " + got, fallback);
    }

    private <T> T problem(String key, YamlNode v, String message, T fallback) {
        context.errors().add(v.mark(), keyPath(key), message);
        return fallback;
    }
}
