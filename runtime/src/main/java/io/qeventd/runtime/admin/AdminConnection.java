package io.qeventd.runtime.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client of the admin socket: reads request lines, answers each, until EOF, silence or abuse. A streaming
 * command ({@link AdminStreamCommand}) takes the connection over: no idle timeout while it streams, and the
 * connection closes when its stream ends.
 */
final class AdminConnection {
    private static final Logger log = LoggerFactory.getLogger(AdminConnection.class);

    private final SocketChannel client;
    private final Map<String, Supplier<Object>> commands;
    private final Map<String, AdminCommand> commandsWithArguments;
    private final Map<String, AdminStreamCommand> streams;
    private final Duration idleTimeout;
    private final ScheduledExecutorService timer;

    AdminConnection(SocketChannel client, Map<String, Supplier<Object>> commands,
                    Map<String, AdminCommand> commandsWithArguments, Map<String, AdminStreamCommand> streams,
                    Duration idleTimeout, ScheduledExecutorService timer) {
        this.client = client;
        this.commands = commands;
        this.commandsWithArguments = commandsWithArguments;
        this.streams = streams;
        this.idleTimeout = idleTimeout;
        this.timer = timer;
    }

    void run() {
        ByteBuffer in = ByteBuffer.allocate(8192);
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        try {
            while (true) {
                // A blocking unix channel has no read timeout: a timer closes it instead, which ends the read.
                ScheduledFuture<?> idle = timer.schedule(this::closeIdle, idleTimeout.toMillis(), TimeUnit.MILLISECONDS);
                int n;
                try {
                    n = client.read(in);
                } finally {
                    idle.cancel(false);
                }
                if (n < 0) {
                    return;
                }
                in.flip();
                while (in.hasRemaining()) {
                    byte b = in.get();
                    if (b == '\n') {
                        byte[] request = line.toByteArray();
                        if (stream(request)) {
                            return;
                        }
                        write(answer(request));
                        line.reset();
                    } else if (line.size() >= AdminProtocol.MAX_LINE) {
                        write(error(null, "BadRequest", "request line longer than " + AdminProtocol.MAX_LINE + " bytes"));
                        return;
                    } else {
                        line.write(b);
                    }
                }
                in.clear();
            }
        } catch (IOException e) {
            log.debug("admin client gone: {}", e.toString());
        }
    }

    /** Runs a streaming command to its end; false when {@code request} names none. */
    private boolean stream(byte[] request) throws IOException {
        JsonNode req;
        try {
            req = AdminProtocol.MAPPER.readTree(request);
        } catch (IOException e) {
            return false;
        }
        AdminStreamCommand command = req != null && req.isObject() ? streams.get(req.path("command").asText(""))
                : null;
        if (command == null) {
            return false;
        }
        String name = req.get("command").asText();
        JsonNode id = req.get("id");
        try (StreamConnection out = new StreamConnection(client, id, idleTimeout)) {
            try {
                command.stream(req.get("arguments"), out);
            } catch (IllegalArgumentException e) {
                if (!out.begun()) {
                    out.answer(error(id, "InvalidArguments", name + ": " + e.getMessage()));
                }
            } catch (IOException e) {
                log.debug("admin stream '{}' ended: {}", name, e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                log.warn("admin stream '{}' failed", name, e);
                if (!out.begun()) {
                    out.answer(error(id, "CommandFailed", name + " failed: " + e));
                }
            }
        }
        return true;
    }

    private String answer(byte[] request) {
        JsonNode req;
        try {
            req = AdminProtocol.MAPPER.readTree(request);
        } catch (IOException e) {
            return error(null, "BadRequest", "not JSON: " + firstLine(e.getMessage()));
        }
        if (req == null || !req.isObject()) {
            return error(null, "BadRequest", "expected a JSON object such as {\"command\": \"status\"}");
        }
        JsonNode id = req.get("id");
        JsonNode command = req.get("command");
        if (command == null || !command.isTextual()) {
            return error(id, "BadRequest", "the request has no \"command\" string");
        }
        String name = command.asText();
        AdminCommand withArguments = commandsWithArguments.get(name);
        if (withArguments != null) {
            return answer(id, name, () -> withArguments.run(req.get("arguments")));
        }
        Supplier<Object> handler = commands.get(name);
        if (handler == null && !AdminProtocol.PING.equals(name)) {
            return error(id, "UnknownCommand", "unknown command '" + name + "'; known: "
                    + String.join(", ", new TreeSet<>(known())));
        }
        return answer(id, name, () -> handler == null ? Map.of() : handler.get());
    }

    private String answer(JsonNode id, String name, AdminCommand.Body body) {
        try {
            Object value = body.run();
            ObjectNode reply = AdminProtocol.MAPPER.createObjectNode();
            reply.set("return", AdminProtocol.MAPPER.valueToTree(value));
            if (id != null) {
                reply.set("id", id);
            }
            return AdminProtocol.MAPPER.writeValueAsString(reply);
        } catch (IllegalArgumentException e) {
            return error(id, "InvalidArguments", name + ": " + e.getMessage());
        } catch (Exception e) {
            log.warn("admin command '{}' failed", name, e);
            return error(id, "CommandFailed", name + " failed: " + e);
        }
    }

    private Set<String> known() {
        Set<String> names = new HashSet<>(commands.keySet());
        names.addAll(commandsWithArguments.keySet());
        names.addAll(streams.keySet());
        names.add(AdminProtocol.PING);
        return names;
    }

    private static String error(JsonNode id, String errorClass, String desc) {
        ObjectNode reply = AdminProtocol.MAPPER.createObjectNode();
        reply.putObject("error").put("class", errorClass).put("desc", desc);
        if (id != null) {
            reply.set("id", id);
        }
        return reply.toString();
    }

    private void write(String line) throws IOException {
        ByteBuffer out = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
        while (out.hasRemaining()) {
            client.write(out);
        }
    }

    private void closeIdle() {
        try {
            client.close();
        } catch (IOException e) {
            // Closing an idle client; nothing else to do.
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
