package io.qeventd.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonTypeName;
import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Compares the catalogue with a QEMU's introspected schema ({@code query-qmp-schema}): every event, every
 * member (name, optional or not, type), every enum value and union case. Lists every difference.
 */
final class SchemaCatalogueCheck {
    private final Map<String, JsonNode> types = new HashMap<>();
    private final List<String> problems = new ArrayList<>();

    SchemaCatalogueCheck(JsonNode schema) {
        schema.forEach(t -> types.put(t.get("name").asText(), t));
    }

    /** Every difference, one line each; empty when the catalogue matches the schema. */
    List<String> problems(Map<String, Class<? extends Record>> catalogue) {
        Set<String> events = new TreeSet<>();
        types.values().stream().filter(t -> t.get("meta-type").asText().equals("event"))
                .forEach(t -> events.add(t.get("name").asText()));
        for (String e : events) {
            Class<?> payload = catalogue.get(e);
            if (payload == null) {
                problems.add(e + ": event not in the catalogue");
                continue;
            }
            JsonNode event = types.get(e);
            checkConstant(e, payload);
            JsonNode arg = event.get("arg-type");
            if (arg == null) {
                checkObject(e, List.of(), payload);
            } else {
                checkType(e, arg.asText(), payload, false);
            }
        }
        for (String e : catalogue.keySet()) {
            if (!events.contains(e)) {
                problems.add(e + ": in the catalogue but not in QEMU's schema");
            }
        }
        return problems;
    }

    private void checkConstant(String event, Class<?> payload) {
        try {
            Object name = payload.getField("NAME").get(null);
            if (!event.equals(name)) {
                problems.add(event + ": " + payload.getSimpleName() + ".NAME is " + name);
            }
            if (!event.equals(QemuEvents.class.getField(event).get(null))) {
                problems.add(event + ": QemuEvents." + event + " is not \"" + event + "\"");
            }
        } catch (ReflectiveOperationException x) {
            problems.add(event + ": no name constant (" + x + ")");
        }
    }

    private void checkType(String path, String schemaType, Type java, boolean optional) {
        JsonNode t = types.get(schemaType);
        String meta = t.get("meta-type").asText();
        switch (meta) {
            case "builtin" -> checkBuiltin(path, t.get("json-type").asText(), java, optional);
            case "enum" -> checkEnum(path, t, java);
            case "array" -> {
                if (java instanceof ParameterizedType p && p.getRawType() == List.class) {
                    checkType(path + "[]", t.get("element-type").asText(), p.getActualTypeArguments()[0], true);
                } else {
                    problems.add(path + ": an array in QEMU, " + java.getTypeName() + " in the catalogue");
                }
            }
            case "object" -> {
                if (!(java instanceof Class<?> c)) {
                    problems.add(path + ": an object in QEMU, " + java.getTypeName() + " in the catalogue");
                } else if (t.has("variants")) {
                    checkUnion(path, t, c);
                } else {
                    checkObject(path, members(t), c);
                }
            }
            default -> problems.add(path + ": QEMU's " + meta + " type is not modelled by the catalogue");
        }
    }

    private void checkBuiltin(String path, String jsonType, Type java, boolean optional) {
        Set<Type> ok = switch (jsonType) {
            case "string" -> Set.of(String.class);
            case "int" -> optional ? Set.of(Long.class) : Set.of(long.class);
            case "number" -> optional ? Set.of(Double.class) : Set.of(double.class);
            case "boolean" -> optional ? Set.of(Boolean.class) : Set.of(boolean.class);
            default -> Set.of(JsonNode.class, Object.class);
        };
        if (!ok.contains(java)) {
            problems.add(path + ": " + (optional ? "optional " : "") + jsonType + " in QEMU, " + java.getTypeName()
                    + " in the catalogue (expected " + ok.stream().map(Type::getTypeName).sorted()
                    .collect(Collectors.joining(" or ")) + ")");
        }
    }

    private void checkEnum(String path, JsonNode t, Type java) {
        if (!(java instanceof Class<?> c) || !c.isEnum()) {
            problems.add(path + ": an enum in QEMU, " + java.getTypeName() + " in the catalogue");
            return;
        }
        Set<String> qemu = new TreeSet<>();
        t.get("values").forEach(v -> qemu.add(v.asText()));
        Set<String> ours = new TreeSet<>();
        boolean unrecognized = false;
        for (Object constant : c.getEnumConstants()) {
            String wire = wireValue(constant);
            if (wire == null) {
                unrecognized = true;
            } else {
                ours.add(wire);
            }
        }
        if (!qemu.equals(ours)) {
            Set<String> missing = new TreeSet<>(qemu);
            missing.removeAll(ours);
            Set<String> extra = new TreeSet<>(ours);
            extra.removeAll(qemu);
            problems.add(path + ": enum " + c.getSimpleName() + " differs: missing " + missing + ", not in QEMU " + extra);
        }
        if (!unrecognized) {
            problems.add(path + ": enum " + c.getSimpleName() + " has no constant for values it does not know");
        }
    }

    private static String wireValue(Object constant) {
        try {
            return (String) constant.getClass().getMethod("value").invoke(constant);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(constant.getClass() + " has no value()", e);
        }
    }

    private void checkUnion(String path, JsonNode t, Class<?> java) {
        String tag = t.get("tag").asText();
        JsonTypeInfo info = java.getAnnotation(JsonTypeInfo.class);
        JsonSubTypes subs = java.getAnnotation(JsonSubTypes.class);
        if (!java.isInterface() || info == null || subs == null || !tag.equals(info.property())) {
            problems.add(path + ": a union on '" + tag + "' in QEMU, " + java.getName()
                    + " in the catalogue is no interface with @JsonTypeInfo(property = \"" + tag + "\") and @JsonSubTypes");
            return;
        }
        Map<String, Class<?>> cases = new LinkedHashMap<>();
        for (JsonSubTypes.Type s : subs.value()) {
            JsonTypeName n = s.value().getAnnotation(JsonTypeName.class);
            cases.put(s.name().isEmpty() && n != null ? n.value() : s.name(), s.value());
        }
        List<JsonNode> base = members(t).stream().filter(m -> !m.get("name").asText().equals(tag)).toList();
        Set<String> qemuCases = new TreeSet<>();
        for (JsonNode v : t.get("variants")) {
            String name = v.get("case").asText();
            qemuCases.add(name);
            Class<?> c = cases.get(name);
            if (c == null) {
                problems.add(path + ": union case '" + name + "' not in the catalogue");
                continue;
            }
            List<JsonNode> all = new ArrayList<>(base);
            all.addAll(members(types.get(v.get("type").asText())));
            checkObject(path + "/" + name, all, c);
        }
        if (!qemuCases.containsAll(cases.keySet())) {
            problems.add(path + ": union cases " + cases.keySet() + " in the catalogue, " + qemuCases + " in QEMU");
        }
        JsonNode tagMember = members(t).stream().filter(m -> m.get("name").asText().equals(tag)).findFirst().orElseThrow();
        try {
            checkType(path + "." + tag, tagMember.get("type").asText(), java.getMethod(tag).getGenericReturnType(), false);
        } catch (NoSuchMethodException e) {
            problems.add(path + ": " + java.getSimpleName() + " has no " + tag + "() for its tag");
        }
    }

    private void checkObject(String path, List<JsonNode> members, Class<?> java) {
        if (!java.isRecord()) {
            problems.add(path + ": an object in QEMU, " + java.getName() + " is no record");
            return;
        }
        Map<String, RecordComponent> byWire = new LinkedHashMap<>();
        for (RecordComponent rc : java.getRecordComponents()) {
            JsonProperty p = rc.getAccessor().getAnnotation(JsonProperty.class);
            byWire.put(p == null ? rc.getName() : p.value(), rc);
        }
        Set<String> seen = new TreeSet<>();
        for (JsonNode m : members) {
            String name = m.get("name").asText();
            seen.add(name);
            boolean optional = m.has("default");
            RecordComponent rc = byWire.get(name);
            if (rc == null) {
                problems.add(path + "." + name + ": member not in the catalogue (" + (optional ? "optional" : "mandatory") + ")");
                continue;
            }
            JsonProperty p = rc.getAccessor().getAnnotation(JsonProperty.class);
            boolean required = p != null && p.required();
            if (required == optional) {
                problems.add(path + "." + name + ": " + (optional ? "optional" : "mandatory") + " in QEMU, "
                        + (required ? "required" : "optional") + " in the catalogue");
            }
            checkType(path + "." + name, m.get("type").asText(), rc.getGenericType(), optional);
        }
        for (String name : byWire.keySet()) {
            if (!seen.contains(name)) {
                problems.add(path + "." + name + ": in the catalogue but not in QEMU's schema");
            }
        }
    }

    private static List<JsonNode> members(JsonNode t) {
        JsonNode m = t.get("members");
        if (m == null) {
            return List.of();
        }
        List<JsonNode> out = new ArrayList<>();
        m.forEach(out::add);
        return out;
    }
}
