package io.qeventd.runtime.monitor;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.qeventd.api.Monitor;
import io.qeventd.api.MonitorClosedException;
import io.qeventd.api.QmpException;
import io.qeventd.runtime.qmp.QmpMessage;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;

/**
 * The api's blocking {@link Monitor} over a {@link MonitorConnection}. Results are decoded with the
 * given mapper: each plugin gets its own, so Jackson's caches of plugin classes go when it unloads.
 */
public final class ConnectionMonitor implements Monitor {
    private final MonitorConnection connection;
    private final ObjectMapper mapper;

    public ConnectionMonitor(MonitorConnection connection, ObjectMapper mapper) {
        this.connection = connection;
        this.mapper = mapper;
    }

    @Override
    public <T> T execute(String command, Object arguments, Class<T> resultType, Duration timeout) {
        QmpMessage.Return reply = await(command, connection.send(command, arguments, timeout));
        if (resultType == Void.class || resultType == void.class) {
            return null;
        }
        try {
            return mapper.readValue(reply.value(), resultType);
        } catch (IOException e) {
            throw new QmpException("cannot read the reply of " + command + " as " + resultType.getSimpleName()
                    + ": " + e.getMessage(), e);
        }
    }

    /** Waits for a reply; the connection enforces the timeout, so this wait always ends. */
    static QmpMessage.Return await(String command, java.util.concurrent.CompletableFuture<QmpMessage.Return> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MonitorClosedException("interrupted while waiting for the reply of " + command, e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException r) {
                throw r;
            }
            throw new QmpException(command + " failed: " + c, c);
        }
    }
}
