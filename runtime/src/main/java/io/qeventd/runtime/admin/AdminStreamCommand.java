package io.qeventd.runtime.admin;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An admin socket command that answers with a stream: its {@code return} line, then lines of its own until it is
 * done, the client goes or the daemon stops; the connection closes when the stream ends. It runs on the
 * connection's own admin thread, which it may hold for as long as the stream lasts (never a monitor reader, a
 * worker or the journal's dispatch thread).
 */
@FunctionalInterface
public interface AdminStreamCommand {
    /**
     * Checks the arguments, then calls {@link AdminStream#begin} once and writes its lines.
     *
     * @param arguments the request's {@code "arguments"} object, or null
     * @throws IllegalArgumentException before {@code begin}: the arguments are wrong, answered as
     *                                  {@code InvalidArguments} with the message
     */
    void stream(JsonNode arguments, AdminStream out) throws Exception;
}
