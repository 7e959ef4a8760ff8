package io.qeventd.testkit.qmp;

import com.fasterxml.jackson.databind.JsonNode;

/** A client line that is not a well-formed QMP command; the message is QEMU's description of the fault. */
final class InvalidCommandException extends Exception {

    private final transient JsonNode id;

    InvalidCommandException(String desc, JsonNode id) {
        super(desc);
        this.id = id;
    }

    /** The id to echo, a missing node when the line had none or could not be parsed. */
    JsonNode id() {
        return id;
    }
}
