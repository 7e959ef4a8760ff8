package io.qeventd.runtime.testing;

import io.qeventd.testkit.qmp.FakeQmpServer;
import io.qeventd.testkit.vm.TestFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fake QEMU for each test: a {@link FakeQmpServer} on {@code qmp.sock} in a fresh directory, closed
 * and removed after the test however it ends.
 * {@code @RegisterExtension final FakeQmpFixture fake = new FakeQmpFixture();}
 */
public final class FakeQmpFixture implements BeforeEachCallback, AfterEachCallback {
    private Path dir;
    private FakeQmpServer server;

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("qeventd-fake-qmp-");
        server = FakeQmpServer.start(dir.resolve("qmp.sock"));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        server.close();
        TestFiles.deleteRecursively(dir);
    }

    public FakeQmpServer server() {
        return server;
    }

    /** The test's directory, where the server's socket lives. */
    public Path dir() {
        return dir;
    }
}
