package io.qeventd.runtime.record;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * Removes secrets from the commands a recording keeps, so a recording can be shared: passwords
 * ({@code set_password}, {@code change-vnc-password}, any {@code password}/{@code passwd} argument), and the
 * {@code data} of secret objects ({@code object-add} of qom-type {@code secret} or {@code secret_keyring}, whose
 * {@code data} is the secret itself). Values become {@value #REDACTED}; replay matches commands with it.
 */
public final class Redaction {
    public static final String REDACTED = "<redacted>";

    private Redaction() {
    }

    /** A copy of {@code command} without its secrets (the command itself when it has none). */
    public static JsonNode command(JsonNode command) {
        JsonNode args = command.get("arguments");
        if (args == null || !args.isObject()) {
            return command;
        }
        ObjectNode copy = command.deepCopy();
        redact((ObjectNode) copy.get("arguments"));
        return copy;
    }

    private static void redact(ObjectNode args) {
        String qomType = args.path("qom-type").asText("");
        boolean secretObject = qomType.equals("secret") || qomType.equals("secret_keyring");
        for (Iterator<Map.Entry<String, JsonNode>> it = args.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String key = field.getKey().toLowerCase(Locale.ROOT);
            if (key.contains("password") || key.contains("passwd") || (secretObject && key.equals("data"))) {
                field.setValue(args.textNode(REDACTED));
            } else if (field.getValue().isObject()) {
                redact((ObjectNode) field.getValue());
            }
        }
    }
}
