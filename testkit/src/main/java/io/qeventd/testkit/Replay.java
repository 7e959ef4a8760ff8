package io.qeventd.testkit;

import io.qeventd.runtime.record.Recording;
import io.qeventd.runtime.record.ReplayServer;
import io.qeventd.testkit.vm.TestFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A recording made by {@code qeventd record}, replayed into a {@link PluginHarness} in a test: the same files
 * {@code qeventd replay} plays. The recorded events reach the plugin in order, as fast as possible, and the plugin's
 * commands are answered with the recorded replies.
 *
 * <pre>{@code
 * try (Replay replay = Replay.of(Path.of("src/test/resources/vm1-stop.jsonl"))) {
 *     replay.into(harness, "vm1");
 *     replay.awaitPlayed(Duration.ofSeconds(10));
 *     harness.journal().await(r -> "my-plugin".equals(r.plugin()), 2, Duration.ofSeconds(10));
 * }
 * }</pre>
 */
public final class Replay implements AutoCloseable {
    private final Recording recording;
    private final ReplayServer.Pace pace;
    private Path dir;
    private ReplayServer server;

    private Replay(Recording recording, ReplayServer.Pace pace) {
        this.recording = recording;
        this.pace = pace;
    }

    /** A recording read from {@code file}; a file that is not one fails with a message naming file and line. */
    public static Replay of(Path file) {
        try {
            return new Replay(Recording.read(file), ReplayServer.Pace.AS_FAST_AS_POSSIBLE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the recording " + file, e);
        }
    }

    /** The same recording played with its recorded pauses, {@code speed} times as fast. */
    public Replay atSpeed(double speed) {
        return new Replay(recording, new ReplayServer.Pace(speed, false));
    }

    /** How many events the recording has. */
    public int events() {
        return recording.events().size();
    }

    /** Starts playing to domain {@code domain} of the harness, which connects to the replay's socket. */
    public Replay into(PluginHarness harness, String domain) {
        if (server != null) {
            throw new IllegalStateException("a replay plays once; make another with Replay.of for a second run");
        }
        try {
            dir = Files.createTempDirectory("qeventd-replay-");
            server = ReplayServer.start(recording, pace, dir.resolve("qmp.sock"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the replay of " + recording.file(), e);
        }
        harness.attach(domain, server.socket());
        return this;
    }

    /** Waits until every recorded event was sent, and returns their number. */
    public int awaitPlayed(Duration deadline) throws InterruptedException, TimeoutException {
        if (server == null) {
            throw new IllegalStateException("call into(harness, domain) first");
        }
        try {
            return server.played().get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the replay of " + recording.file() + " failed", e.getCause());
        }
    }

    @Override
    public void close() {
        try {
            if (server != null) {
                server.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            TestFiles.deleteRecursively(dir);
        }
    }
}
