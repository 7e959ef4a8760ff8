package io.qeventd.runtime.monitor;

import java.time.Duration;
import java.util.Objects;

/**
 * How one monitor connection behaves.
 *
 * @param connectTimeout        how long to wait for the greeting and negotiation after the socket connects
 * @param commandTimeout        default timeout of a command
 * @param maxMessageSize        largest message accepted, in bytes (libvirt and qemu.qmp use 10 MiB)
 * @param reconnect             whether to connect again after the connection is lost or fails
 * @param reconnectInitialDelay first wait before connecting again; doubles on each failure
 * @param reconnectMaxDelay     longest wait between attempts
 * @param enableOob             negotiate QMP's out-of-band capability when QEMU offers it
 */
public record MonitorOptions(Duration connectTimeout, Duration commandTimeout, int maxMessageSize, boolean reconnect,
                             Duration reconnectInitialDelay, Duration reconnectMaxDelay, boolean enableOob) {
    public static final int DEFAULT_MAX_MESSAGE_SIZE = 10 * 1024 * 1024;

    public MonitorOptions {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(commandTimeout, "commandTimeout");
        Objects.requireNonNull(reconnectInitialDelay, "reconnectInitialDelay");
        Objects.requireNonNull(reconnectMaxDelay, "reconnectMaxDelay");
        if (maxMessageSize < 1024) {
            throw new IllegalArgumentException("maxMessageSize must be at least 1024 bytes: " + maxMessageSize);
        }
    }

    public static MonitorOptions defaults() {
        return new MonitorOptions(Duration.ofSeconds(5), Duration.ofSeconds(30), DEFAULT_MAX_MESSAGE_SIZE, true,
                Duration.ofMillis(100), Duration.ofSeconds(30), false);
    }

    public MonitorOptions withReconnect(boolean on) {
        return new MonitorOptions(connectTimeout, commandTimeout, maxMessageSize, on, reconnectInitialDelay,
                reconnectMaxDelay, enableOob);
    }

    public MonitorOptions withConnectTimeout(Duration d) {
        return new MonitorOptions(d, commandTimeout, maxMessageSize, reconnect, reconnectInitialDelay,
                reconnectMaxDelay, enableOob);
    }

    public MonitorOptions withCommandTimeout(Duration d) {
        return new MonitorOptions(connectTimeout, d, maxMessageSize, reconnect, reconnectInitialDelay,
                reconnectMaxDelay, enableOob);
    }

    public MonitorOptions withMaxMessageSize(int bytes) {
        return new MonitorOptions(connectTimeout, commandTimeout, bytes, reconnect, reconnectInitialDelay,
                reconnectMaxDelay, enableOob);
    }

    public MonitorOptions withReconnectDelays(Duration initial, Duration max) {
        return new MonitorOptions(connectTimeout, commandTimeout, maxMessageSize, reconnect, initial, max, enableOob);
    }

    public MonitorOptions withOob(boolean on) {
        return new MonitorOptions(connectTimeout, commandTimeout, maxMessageSize, reconnect, reconnectInitialDelay,
                reconnectMaxDelay, on);
    }
}
