package io.qeventd.runtime.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;

/** Asks a running daemon over its admin socket; see {@link AdminProtocol}. */
public final class AdminClient {
    private AdminClient() {
    }

    /**
     * The daemon's status.
     *
     * @throws AdminUnavailableException when no daemon answers on {@code socket}
     * @throws AdminException            when it answers with an error, with garbage, or not within {@code timeout}
     */
    public static StatusReport status(Path socket, Duration timeout) throws AdminException {
        JsonNode value = request(socket, AdminProtocol.STATUS, timeout);
        try {
            return AdminProtocol.MAPPER.treeToValue(value, StatusReport.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new AdminException("the daemon on " + socket + " sent a status this client cannot read: "
                    + e.getMessage(), e);
        }
    }

    /** Sends one command and returns its {@code return} value. */
    public static JsonNode request(Path socket, String command, Duration timeout) throws AdminException {
        return request(socket, command, null, timeout);
    }

    /** Sends one command with {@code arguments} (an object, or null for none) and returns its {@code return} value. */
    public static JsonNode request(Path socket, String command, JsonNode arguments, Duration timeout)
            throws AdminException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (SocketChannel channel = connect(socket)) {
            ObjectNode message = AdminProtocol.MAPPER.createObjectNode().put("command", command);
            if (arguments != null) {
                message.set("arguments", arguments);
            }
            byte[] request = (message + "\n").getBytes(StandardCharsets.UTF_8);
            channel.configureBlocking(false);
            try (Selector selector = Selector.open()) {
                write(channel, selector, ByteBuffer.wrap(request), deadline, socket);
                return parse(readLine(channel, selector, deadline, socket), command, socket);
            }
        } catch (IOException e) {
            throw new AdminException("talking to the daemon on " + socket + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Starts a streaming command ({@code events}, {@code record}): waits up to {@code timeout} for its
     * {@code return} line, then hands the stream over.
     *
     * @throws AdminUnavailableException when no daemon answers on {@code socket}
     * @throws AdminException            when it refuses the command (the message says why), or does not answer in time
     */
    public static AdminStreamReader stream(Path socket, String command, JsonNode arguments, Duration timeout)
            throws AdminException {
        long deadline = System.nanoTime() + timeout.toNanos();
        SocketChannel channel = connect(socket);
        Selector selector = null;
        try {
            ObjectNode message = AdminProtocol.MAPPER.createObjectNode().put("command", command);
            if (arguments != null) {
                message.set("arguments", arguments);
            }
            channel.configureBlocking(false);
            selector = Selector.open();
            write(channel, selector, ByteBuffer.wrap((message + "\n").getBytes(StandardCharsets.UTF_8)), deadline,
                    socket);
            selector.close();
            selector = Selector.open();
            AdminStreamReader reader = new AdminStreamReader(socket, channel, selector);
            String first;
            try {
                first = reader.next(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            } catch (IOException e) {
                reader.close();
                throw e;
            }
            if (first == null) {
                reader.close();
                throw new AdminException(reader.ended()
                        ? "the daemon on " + socket + " closed the connection without answering"
                        : "the daemon on " + socket + " did not answer in time");
            }
            try {
                reader.value(parse(first.getBytes(StandardCharsets.UTF_8), command, socket));
            } catch (AdminException e) {
                reader.close();
                throw e;
            }
            return reader;
        } catch (IOException e) {
            closeQuietly(channel);
            if (selector != null) {
                closeQuietly(selector);
            }
            throw new AdminException("talking to the daemon on " + socket + " failed: " + e.getMessage(), e);
        } catch (AdminException e) {
            closeQuietly(channel);
            if (selector != null) {
                closeQuietly(selector);
            }
            throw e;
        }
    }

    private static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // Closing after a failure; the failure is what counts.
        }
    }

    private static SocketChannel connect(Path socket) throws AdminUnavailableException {
        if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
            throw new AdminUnavailableException(socket, "the socket does not exist (is the daemon running,"
                    + " with this admin.socket?)", null);
        }
        try {
            if (!AdminSocketBinder.isSocket(socket)) {
                throw new AdminUnavailableException(socket, "it is not a socket", null);
            }
            SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                channel.connect(UnixDomainSocketAddress.of(socket));
                return channel;
            } catch (IOException e) {
                channel.close();
                throw e;
            }
        } catch (AccessDeniedException e) {
            throw new AdminUnavailableException(socket, "permission denied (the socket is the daemon user's only)", e);
        } catch (IOException e) {
            String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            if (m.contains("ermission denied")) {
                throw new AdminUnavailableException(socket, "permission denied (the socket is the daemon user's only)", e);
            }
            throw new AdminUnavailableException(socket, m.contains("onnection refused")
                    ? "nobody listens there (a daemon that did not stop cleanly left it)" : m, e);
        }
    }

    private static void write(SocketChannel channel, Selector selector, ByteBuffer out, long deadline, Path socket)
            throws IOException, AdminException {
        channel.register(selector, SelectionKey.OP_WRITE);
        while (out.hasRemaining()) {
            await(selector, deadline, socket);
            channel.write(out);
        }
    }

    private static byte[] readLine(SocketChannel channel, Selector selector, long deadline, Path socket)
            throws IOException, AdminException {
        channel.register(selector, SelectionKey.OP_READ);
        ByteBuffer in = ByteBuffer.allocate(16 * 1024);
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            await(selector, deadline, socket);
            int n = channel.read(in);
            if (n < 0) {
                throw new AdminException("the daemon on " + socket + " closed the connection without answering");
            }
            in.flip();
            while (in.hasRemaining()) {
                byte b = in.get();
                if (b == '\n') {
                    return line.toByteArray();
                }
                line.write(b);
            }
            in.clear();
        }
    }

    private static void await(Selector selector, long deadline, Path socket) throws IOException, AdminException {
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AdminException("the daemon on " + socket + " did not answer in time");
            }
            if (selector.select(Math.max(1, left / 1_000_000)) > 0) {
                selector.selectedKeys().clear();
                return;
            }
        }
    }

    private static JsonNode parse(byte[] line, String command, Path socket) throws AdminException {
        JsonNode reply;
        try {
            reply = AdminProtocol.MAPPER.readTree(line);
        } catch (IOException e) {
            throw new AdminException("the daemon on " + socket + " answered with something that is not JSON", e);
        }
        if (reply != null && reply.has("return")) {
            return reply.get("return");
        }
        JsonNode error = reply == null ? null : reply.get("error");
        if (error != null) {
            throw new AdminException("the daemon on " + socket + " refused " + command + ": "
                    + error.path("class").asText("Error") + ": " + error.path("desc").asText(""));
        }
        throw new AdminException("the daemon on " + socket + " answered neither \"return\" nor \"error\"");
    }
}
