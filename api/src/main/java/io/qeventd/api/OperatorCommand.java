package io.qeventd.api;

import java.util.Map;

/**
 * A command a handler offers operators on the daemon's admin socket, for what only a person can tell the
 * daemon (e.g. "space was added to the storage of domain vm1"):
 * {@code qeventd plugin-command PLUGIN NAME --domain DOMAIN [KEY=VALUE ...]}.
 *
 * <p>The daemon calls {@link #accept} on an admin thread, where no monitor may be used; the command checks and
 * records what the operator said. The daemon then runs the handler's resync hook on that domain with reason
 * {@link ResyncReason#OPERATOR}, in the domain's order and holding its job like any processor, and answers the
 * operator with that run's outcome and actions (also journaled, as {@code resync/OPERATOR}). Register one
 * with {@link Handler.Builder#command}.
 */
@FunctionalInterface
public interface OperatorCommand {
    /**
     * Takes the operator's word for {@code domain}.
     *
     * @param arguments the operator's {@code KEY=VALUE} pairs
     * @throws IllegalArgumentException an argument is missing or wrong; the message names it and is shown to
     *                                  the operator, and the resync hook does not run
     */
    void accept(String domain, Map<String, String> arguments);
}
