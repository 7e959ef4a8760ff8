package io.qeventd.runtime.record;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Objects;

/**
 * One QMP message of a recording: when the recorder saw it, who sent it, and the message itself. In the file, one
 * JSON object per line: {@code {"at":"2026-12-02T04:00:00.123456Z","from":"qemu","qmp":{"event":"STOP",…}}}.
 *
 * @param at   when the recorder read it
 * @param from {@code qemu} for the greeting, replies and events; {@code client} for commands
 * @param qmp  the message as QEMU or the client sent it (a client's secrets redacted)
 */
public record RecordedLine(Instant at, From from, JsonNode qmp) {
    /** Who sent a message. */
    public enum From {
        QEMU, CLIENT;

        String fileName() {
            return name().toLowerCase();
        }
    }

    public RecordedLine {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(qmp, "qmp");
    }

    public boolean isGreeting() {
        return from == From.QEMU && qmp.has("QMP");
    }

    public boolean isEvent() {
        return from == From.QEMU && qmp.has("event");
    }

    public boolean isReply() {
        return from == From.QEMU && (qmp.has("return") || qmp.has("error"));
    }

    public boolean isCommand() {
        return from == From.CLIENT && (qmp.has("execute") || qmp.has("exec-oob"));
    }

    /** A command's name, or null. */
    public String command() {
        JsonNode name = qmp.has("execute") ? qmp.get("execute") : qmp.get("exec-oob");
        return name == null ? null : name.asText();
    }

    /** A command's arguments, never null ({@code {}} without arguments). */
    public JsonNode arguments(ObjectNode empty) {
        JsonNode a = qmp.get("arguments");
        return a == null || a.isNull() ? empty : a;
    }
}
