package io.qeventd.runtime.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qeventd.runtime.qmp.QmpMessage;
import io.qeventd.testkit.qmp.FakeQmpServer;
import io.qeventd.testkit.vm.TestFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A monitor reactor and fake QMP servers in a test's temporary directory, all closed (monitors first)
 * when the test ends, however it ends. Either a JUnit extension of each test
 * ({@code @RegisterExtension final MonitorHarness h = MonitorHarness.perTest();}) or opened and closed by
 * the test itself.
 */
final class MonitorHarness implements AutoCloseable, BeforeEachCallback, AfterEachCallback {
    private static final Logger log = LoggerFactory.getLogger(MonitorHarness.class);

    /** The longest any test waits for something that should happen; generous for a busy machine. */
    static final Duration WAIT = Duration.ofSeconds(15);
    static final ObjectMapper JSON = new ObjectMapper();

    private Path dir;
    private MonitorReactor reactor;
    private boolean ownsDir;
    private final Deque<AutoCloseable> opened = new ArrayDeque<>();

    MonitorHarness(Path dir) {
        this(dir, 1);
    }

    MonitorHarness(Path dir, int readerThreads) {
        this.dir = dir;
        this.reactor = new MonitorReactor(readerThreads, JSON);
    }

    private MonitorHarness() {
    }

    /** A harness set up before each test (one reader, a fresh temporary directory) and closed after it. */
    static MonitorHarness perTest() {
        return new MonitorHarness();
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        opened.clear();
        dir = Files.createTempDirectory("qeventd-monitor-test-");
        ownsDir = true;
        reactor = new MonitorReactor(1, JSON);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        close();
        if (ownsDir) {
            TestFiles.deleteRecursively(dir);
        }
    }

    /** Test options: no reconnect, a long default command timeout, short reconnect delays when turned on. */
    static MonitorOptions options() {
        return MonitorOptions.defaults()
                .withReconnect(false)
                .withConnectTimeout(Duration.ofSeconds(5))
                .withCommandTimeout(Duration.ofSeconds(60))
                .withReconnectDelays(Duration.ofMillis(20), Duration.ofMillis(200));
    }

    MonitorReactor reactor() {
        return reactor;
    }

    Path socket(String name) {
        return dir.resolve(name + ".sock");
    }

    FakeQmpServer server(String name) {
        return server(name, FakeQmpServer.builder());
    }

    FakeQmpServer server(String name, FakeQmpServer.Builder builder) {
        try {
            FakeQmpServer server = builder.start(socket(name));
            opened.push(server);
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Opens a monitor on {@code socket}; it is closed with the harness. */
    MonitorConnection open(Path socket, MonitorOptions options, MonitorListener listener) {
        MonitorConnection conn = reactor.open(socket.getFileName().toString(), UnixDomainSocketAddress.of(socket),
                options, listener);
        opened.push(conn);
        return conn;
    }

    /** Opens a monitor on {@code server} and waits until it is negotiated. */
    MonitorConnection connect(FakeQmpServer server, MonitorOptions options, MonitorListener listener)
            throws Exception {
        MonitorConnection conn = open(server.socket(), options, listener);
        conn.firstConnect().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        return conn;
    }

    /** The reply's value, waited for. */
    static JsonNode value(CompletableFuture<QmpMessage.Return> reply) throws Exception {
        return JSON.readTree(reply.get(WAIT.toMillis(), TimeUnit.MILLISECONDS).value());
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Polls {@code condition} until it holds; fails naming {@code what} and the last {@code state}. */
    static void eventually(String what, BooleanSupplier condition, Supplier<?> state) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + WAIT + ": " + what + "; now: " + state.get());
            }
            TimeUnit.MILLISECONDS.sleep(2); // the poll interval; the deadline bounds the wait
        }
    }

    @Override
    public void close() {
        while (!opened.isEmpty()) {
            try {
                opened.pop().close();
            } catch (Exception e) {
                log.warn("closing a test monitor or server failed", e);
            }
        }
        reactor.close();
    }
}
