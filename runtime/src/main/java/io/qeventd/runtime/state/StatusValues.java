package io.qeventd.runtime.state;

import io.qeventd.api.state.StatusFields;
import java.util.LinkedHashMap;
import java.util.Map;

/** Turns a published value into status fields of JDK types only. */
final class StatusValues {
    private StatusValues() {
    }

    static Map<String, Object> fields(Object value) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (value instanceof StatusFields f) {
            Map<String, Object> given;
            try {
                given = f.statusFields();
            } catch (RuntimeException e) {
                out.put("error", "statusFields() failed: " + e);
                return out;
            }
            given.forEach((k, v) -> out.put(String.valueOf(k), scalar(v)));
        } else {
            out.put("value", scalar(value));
        }
        return out;
    }

    private static Object scalar(Object v) {
        if (v == null || v instanceof String || v instanceof Boolean || v instanceof Long || v instanceof Integer
                || v instanceof Double || v instanceof Short || v instanceof Float) {
            return v;
        }
        if (v instanceof Enum<?> e) {
            return e.toString();
        }
        return String.valueOf(v);
    }
}
