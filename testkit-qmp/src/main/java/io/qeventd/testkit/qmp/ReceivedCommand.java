package io.qeventd.testkit.qmp;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A well-formed command the fake server read from a client.
 *
 * @param client    which client sent it: 1 for the first that connected to this server, 2 for the next, …
 * @param command   the {@code execute} name
 * @param arguments the {@code arguments} object, an empty object when the command had none
 * @param id        the {@code id} as sent, a {@linkplain JsonNode#isMissingNode() missing node} when it had none
 * @param rawLine   the line as read, without its line ending
 */
public record ReceivedCommand(int client, String command, JsonNode arguments, JsonNode id, String rawLine) {
}
