package io.qeventd.runtime.qmp;

import com.fasterxml.jackson.databind.JsonNode;
import io.qeventd.api.QemuTimestamp;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One message from QEMU, as read off the wire. Large JSON values ({@code return}, event {@code data})
 * stay raw UTF-8 bytes: the reader thread only slices them, and whoever needs them decodes them.
 */
public sealed interface QmpMessage {

    /** {@code {"QMP": {"version": …, "capabilities": […]}}}: the first message of every connection. */
    record Greeting(JsonNode version, List<String> capabilities) implements QmpMessage {
        public Greeting {
            capabilities = List.copyOf(capabilities);
        }

        /** QEMU's version as {@code major.minor.micro}, or {@code "unknown"}. */
        public String qemuVersion() {
            JsonNode q = version == null ? null : version.path("qemu");
            if (q == null || q.isMissingNode()) {
                return "unknown";
            }
            return q.path("major").asInt() + "." + q.path("minor").asInt() + "." + q.path("micro").asInt();
        }
    }

    /** A successful reply; {@code id} is a Long, a String, a JsonNode, or null when none was sent. */
    record Return(Object id, byte[] value) implements QmpMessage {
        public String valueAsString() {
            return new String(value, StandardCharsets.UTF_8);
        }
    }

    /** An error reply: QEMU's error class and description. */
    record Error(Object id, String errorClass, String description) implements QmpMessage {
    }

    /** An asynchronous event; {@code data} is null when the event carries none. */
    record Event(String name, byte[] data, QemuTimestamp timestamp) implements QmpMessage {
        public String dataAsString() {
            return data == null ? null : new String(data, StandardCharsets.UTF_8);
        }
    }
}
