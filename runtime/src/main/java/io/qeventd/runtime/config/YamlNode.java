package io.qeventd.runtime.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML value together with the place it was written. Jackson's tree model drops positions, and every
 * configuration error must point at a line and column, so the reader builds this small tree instead.
 */
sealed interface YamlNode permits YamlNode.Mapping, YamlNode.Sequence, YamlNode.Scalar {

    /** Where the node starts. */
    Mark mark();

    /** How an error message names what was found here ("a list", "a number", "'abc'"). */
    String describe();

    /** The value as plain maps, lists and scalars, for free-form sections. */
    Object plain();

    /** A 1-based line and column. */
    record Mark(int line, int column) {
    }

    /** One key of a mapping, with the key's own position (unknown keys are reported there). */
    record Entry(String key, Mark keyMark, YamlNode value) {
    }

    record Mapping(Mark mark, Map<String, Entry> entries) implements YamlNode {
        public Mapping {
            entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
        }

        static Mapping empty(Mark at) {
            return new Mapping(at, Map.of());
        }

        @Override
        public String describe() {
            return "a mapping";
        }

        @Override
        public Map<String, Object> plain() {
            Map<String, Object> out = new LinkedHashMap<>();
            entries.forEach((key, entry) -> out.put(key, entry.value().plain()));
            return Collections.unmodifiableMap(out);
        }
    }

    record Sequence(Mark mark, List<YamlNode> items) implements YamlNode {
        public Sequence {
            items = List.copyOf(items);
        }

        @Override
        public String describe() {
            return "a list";
        }

        @Override
        public List<Object> plain() {
            List<Object> out = new ArrayList<>(items.size());
            items.forEach(item -> out.add(item.plain()));
            return Collections.unmodifiableList(out);
        }
    }

    enum ScalarKind { STRING, INTEGER, DECIMAL, BOOLEAN, NULL }

    /**
     * A scalar as YAML resolved it: {@code 30} is an INTEGER, {@code "30"} a STRING, {@code true} a BOOLEAN.
     *
     * @param text  the scalar as written (without quotes)
     * @param value String, Integer, Long, BigInteger, Double, Boolean, or null for NULL
     */
    record Scalar(Mark mark, ScalarKind kind, String text, Object value) implements YamlNode {
        boolean isNull() {
            return kind == ScalarKind.NULL;
        }

        @Override
        public String describe() {
            return switch (kind) {
                case STRING -> "'" + text + "'";
                case INTEGER, DECIMAL -> "a number";
                case BOOLEAN -> "a boolean";
                case NULL -> "an empty value";
            };
        }

        @Override
        public Object plain() {
            return value;
        }
    }
}
