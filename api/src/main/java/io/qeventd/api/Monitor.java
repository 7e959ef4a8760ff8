package io.qeventd.api;

import java.time.Duration;
import java.util.Map;

/**
 * Blocking QMP commands on a domain's monitor, for processors and resync hooks.
 *
 * <p>Calls block the calling worker until QEMU replies, the command times out (the daemon's
 * {@code commandTimeout}, 30 s by default, unless given per call) or the monitor closes. They are
 * refused with an {@link IllegalStateException} on a monitor reader thread, which must never block.
 */
public interface Monitor {
    /**
     * Runs {@code command} with {@code arguments} (a map, a record or {@code null}) and converts the
     * reply's {@code return} value to {@code resultType}.
     *
     * @throws QmpErrorException       QEMU answered with an error
     * @throws CommandTimeoutException no reply in time
     * @throws MonitorClosedException  the monitor closed first
     */
    <T> T execute(String command, Object arguments, Class<T> resultType, Duration timeout);

    default <T> T execute(String command, Object arguments, Class<T> resultType) {
        return execute(command, arguments, resultType, null);
    }

    /** Runs a command without arguments; the {@code return} value as maps, lists and scalars. */
    default Object execute(String command) {
        return execute(command, null, Object.class, null);
    }

    /** Runs a command with arguments given as a map; the {@code return} value as maps, lists and scalars. */
    default Object execute(String command, Map<String, ?> arguments) {
        return execute(command, arguments, Object.class, null);
    }
}
