package io.qeventd.testkit;

import io.qeventd.testkit.qmp.FakeQmpServer;
import io.qeventd.testkit.vm.TestFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fake QEMU for each test, as a JUnit 5 extension: a QMP server on a unix socket in a fresh directory that
 * behaves as QEMU 7.2's monitor (greeting, {@code qmp_capabilities}, ids echoed, one client at a time) and
 * sends whatever events the test asks for. Closed and removed after each test, however it ends.
 *
 * <pre>{@code
 * @RegisterExtension final FakeQemu qemu = new FakeQemu();
 *
 * harness.attach("vm1", qemu.socket());
 * qemu.server().respond("query-status", args -> Reply.ok(Map.of("status", "paused", "running", false)));
 * qemu.server().emit("STOP", null);
 * qemu.server().awaitCommand("query-status", Duration.ofSeconds(10));   // what the plugin asked QEMU
 * }</pre>
 *
 * Use it for what a real QEMU cannot be made to do in a unit test; the server also records every command it
 * received ({@link FakeQmpServer#received()}).
 */
public final class FakeQemu implements BeforeEachCallback, AfterEachCallback {
    private Path dir;
    private FakeQmpServer server;

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("qeventd-fake-qemu-");
        server = FakeQmpServer.start(dir.resolve("qmp.sock"));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        try {
            if (server != null) {
                server.close();
            }
        } finally {
            TestFiles.deleteRecursively(dir);
        }
    }

    /** The running server: emit events, script replies, read the commands received. */
    public FakeQmpServer server() {
        if (server == null) {
            throw new IllegalStateException("the fake QEMU runs only inside a test: register it with"
                    + " @RegisterExtension on an instance field");
        }
        return server;
    }

    /** The server's QMP socket, for {@link PluginHarness#attach}. */
    public Path socket() {
        return server().socket();
    }

    /** A private directory of this test, where the socket lives. */
    public Path dir() {
        if (dir == null) {
            throw new UncheckedIOException(new IOException("no test is running"));
        }
        return dir;
    }
}
