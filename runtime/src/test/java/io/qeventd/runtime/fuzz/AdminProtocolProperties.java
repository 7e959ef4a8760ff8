package io.qeventd.runtime.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qeventd.runtime.admin.AdminProtocol;
import io.qeventd.runtime.admin.AdminServer;
import java.io.ByteArrayOutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Request lines from any local client, fuzzed: the admin socket answers each one with exactly one line that
 * is a {@code return} or an {@code error}, and goes on serving.
 */
class AdminProtocolProperties {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path dir;
    private static AdminServer server;

    @BeforeContainer
    static void start() throws Exception {
        dir = Files.createTempDirectory("qeventd-admin-fuzz-");
        server = AdminServer.start(dir.resolve("admin.sock"),
                Map.<String, Supplier<Object>>of(AdminProtocol.STATUS, () -> Map.of("ok", true)), Duration.ofSeconds(30));
    }

    @AfterContainer
    static void stop() throws Exception {
        server.close();
        Files.deleteIfExists(dir.resolve("admin.sock"));
        Files.deleteIfExists(dir);
    }

    @Provide
    Arbitrary<String> requests() {
        Arbitrary<String> seeds = Arbitraries.of("{\"command\": \"status\"}", "{\"command\": \"ping\", \"id\": 7}",
                "{\"command\": \"status\", \"id\": {\"x\": [1, 2]}}", "{\"command\": 42}", "{}", "[]", "null",
                "{\"command\": \"reboot-the-world\"}", "{\"command\": \"status\"", "\"status\"");
        Arbitrary<String> noise = Arbitraries.strings().ofMaxLength(300).excludeChars('\n');
        return Arbitraries.oneOf(seeds, noise, seeds.map(s -> s + "garbage"));
    }

    @Property(tries = 400)
    void everyRequestLineGetsOneReturnOrErrorLine(@ForAll("requests") String request) throws Exception {
        try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            c.connect(UnixDomainSocketAddress.of(server.socket()));
            c.write(ByteBuffer.wrap((request + "\n{\"command\": \"ping\"}\n").getBytes(StandardCharsets.UTF_8)));
            JsonNode first = JSON.readTree(readLine(c));
            assertThat(first.has("return") || first.has("error")).as("answer to %s: %s", request, first).isTrue();
            JsonNode second = JSON.readTree(readLine(c));
            assertThat(second.has("return")).as("the connection still serves after %s", request).isTrue();
        }
    }

    private static String readLine(SocketChannel c) throws Exception {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        ByteBuffer one = ByteBuffer.allocate(1);
        while (true) {
            one.clear();
            if (c.read(one) < 0) {
                throw new AssertionError("connection closed before a full answer line");
            }
            if (one.get(0) == '\n') {
                return line.toString(StandardCharsets.UTF_8);
            }
            line.write(one.get(0));
        }
    }
}
