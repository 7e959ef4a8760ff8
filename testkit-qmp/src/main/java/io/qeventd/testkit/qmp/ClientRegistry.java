package io.qeventd.testkit.qmp;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who is connected and what they sent, under one lock that waiters wait on. Also where the moments that
 * must not interleave are made atomic: greeting before anything else, negotiation reply before any event.
 */
final class ClientRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(ClientRegistry.class);

    private final Path socket;
    private final ServerOptions options;
    private final Object lock = new Object();
    private ClientConnection current; // guarded by lock
    private int clientCount; // guarded by lock
    private boolean closed; // guarded by lock
    private final List<ReceivedCommand> received = new ArrayList<>(); // guarded by lock
    private final Map<String, Integer> awaitedCounts = new HashMap<>(); // guarded by lock

    ClientRegistry(Path socket, ServerOptions options) {
        this.socket = socket;
        this.options = options;
    }

    /** The accepted channel as the current client, greeted; null (channel closed) once the server is closed. */
    ClientConnection admit(SocketChannel channel) {
        ClientConnection client;
        synchronized (lock) {
            if (closed) {
                closeQuietly(channel);
                return null;
            }
            clientCount++;
            client = new ClientConnection(channel, clientCount, options.lineEnding(), socket.getFileName().toString());
            // Queued before the client is published, so nothing sent from other threads can precede the greeting.
            if (options.beforeGreeting().length > 0) {
                client.enqueue(WireOutput.bytes(options.beforeGreeting()));
            }
            options.greeting().ifPresent(client::writeLine);
            current = client;
            lock.notifyAll();
        }
        client.start();
        LOG.debug("QMP client {} connected to {}", client.ordinal(), socket);
        return client;
    }

    /** Frees the slot {@code client} held, unless it was already taken from it. */
    void release(ClientConnection client) {
        synchronized (lock) {
            if (current == client) {
                current = null;
            }
            lock.notifyAll();
        }
    }

    /** Takes the current client out of the registry (closing is the caller's); null if none. */
    ClientConnection detach() {
        synchronized (lock) {
            ClientConnection client = current;
            current = null;
            lock.notifyAll();
            return client;
        }
    }

    /** As {@link #detach()}, and admits no one after. */
    ClientConnection closeAndDetach() {
        synchronized (lock) {
            closed = true;
            return detach();
        }
    }

    void record(ReceivedCommand command) {
        synchronized (lock) {
            received.add(command);
            lock.notifyAll();
        }
    }

    /** Marks {@code client} negotiated and queues its reply in one step, so no event can be queued before the reply. */
    void negotiated(ClientConnection client, String replyLine) {
        synchronized (lock) {
            client.markNegotiated();
            client.writeLine(replyLine);
            lock.notifyAll();
        }
    }

    /** Queues an event line for the current client if it has negotiated; false (dropped, as QEMU drops it) otherwise. */
    boolean emit(String eventLine) {
        synchronized (lock) {
            if (current == null || !current.negotiated()) {
                return false;
            }
            current.writeLine(eventLine);
            return true;
        }
    }

    ClientConnection requireCurrent() {
        synchronized (lock) {
            if (current == null) {
                throw new IllegalStateException("no QMP client is connected to " + socket);
            }
            return current;
        }
    }

    List<ReceivedCommand> received() {
        synchronized (lock) {
            return List.copyOf(received);
        }
    }

    int clientCount() {
        synchronized (lock) {
            return clientCount;
        }
    }

    ReceivedCommand awaitCommand(String command, Duration timeout) throws InterruptedException, TimeoutException {
        synchronized (lock) {
            int seen = awaitedCounts.getOrDefault(command, 0);
            ReceivedCommand found = await(() -> received.stream()
                    .filter(r -> r.command().equals(command))
                    .skip(seen)
                    .findFirst()
                    .orElse(null), timeout, "command '" + command + "' number " + (seen + 1));
            awaitedCounts.put(command, seen + 1);
            return found;
        }
    }

    int awaitNegotiatedClient(Duration timeout) throws InterruptedException, TimeoutException {
        // The probe runs holding the lock, so reading current is safe.
        return await(() -> current != null && current.negotiated() ? current.ordinal() : null,
                timeout, "negotiated client");
    }

    private <T> T await(Supplier<T> probe, Duration timeout, String what) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            for (T value = probe.get(); ; value = probe.get()) {
                if (value != null) {
                    return value;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new TimeoutException("fake QMP server on " + socket + ": no " + what + " within " + timeout);
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("closing a channel accepted while closing failed", e);
        }
    }
}
