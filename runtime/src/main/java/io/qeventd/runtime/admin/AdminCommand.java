package io.qeventd.runtime.admin;

import com.fasterxml.jackson.databind.JsonNode;

/** An admin socket command that takes arguments: the request's {@code "arguments"} object (or null). */
@FunctionalInterface
public interface AdminCommand {
    /**
     * @return what the command answers, serialised with Jackson
     * @throws IllegalArgumentException the arguments are wrong: answered as {@code InvalidArguments} with the message
     */
    Object run(JsonNode arguments) throws Exception;

    /** A command's work once its arguments are bound. */
    @FunctionalInterface
    interface Body {
        Object run() throws Exception;
    }
}
