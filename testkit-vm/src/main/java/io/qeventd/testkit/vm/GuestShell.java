package io.qeventd.testkit.vm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Runs shell commands in the test guest over its command channel (the guest's second serial port, a
 * unix-socket chardev on the host). The protocol is described in scripts/build-test-guest.sh:
 * the host sends {@code <id> <command>}; the guest answers {@code |<line>} per output line and then
 * {@code @@qeventd-done <id> <exit code>}.
 *
 * <p>Each request has its own id, so answers to earlier requests (a probe sent before the guest listened,
 * a command that outlived its deadline) are recognised and skipped.
 */
public final class GuestShell implements AutoCloseable {
    private static final String OUTPUT_PREFIX = "|";
    private static final String DONE_PREFIX = "@@qeventd-done ";
    private static final Duration PROBE_INTERVAL = Duration.ofMillis(500);

    private final QemuLineSocket socket;
    private final Supplier<String> diagnostics;
    private long nextId = 1;

    /** What a command printed (stdout and stderr, lines joined by {@code \n}) and how it exited. */
    public record Result(String command, String output, int exitCode) {
        public boolean succeeded() {
            return exitCode == 0;
        }

        /** Returns this result if the command exited 0, else throws naming the command, status and output. */
        public Result requireSuccess() {
            if (!succeeded()) {
                throw new GuestShellException("guest command '" + command + "' exited " + exitCode + ":\n" + output);
            }
            return this;
        }
    }

    private GuestShell(QemuLineSocket socket, Supplier<String> diagnostics) {
        this.socket = socket;
        this.diagnostics = diagnostics;
    }

    /**
     * Connects to the command channel at {@code socket}.
     *
     * @param diagnostics text added to failure messages (e.g. the tail of the guest console)
     */
    public static GuestShell connect(Path socket, Supplier<String> diagnostics) {
        try {
            return new GuestShell(QemuLineSocket.connect(socket), diagnostics);
        } catch (IOException e) {
            throw new GuestShellException("cannot connect to the guest command channel " + socket, e);
        }
    }

    /**
     * Waits until the guest answers: sends a fresh probe every half second (a request sent
     * while the guest boots may be lost) until one is answered.
     *
     * @throws GuestShellException no answer by the deadline
     */
    public synchronized void awaitReady(Duration deadline) {
        Instant end = Instant.now().plus(deadline);
        while (Instant.now().isBefore(end)) {
            Instant probeEnd = min(Instant.now().plus(PROBE_INTERVAL), end);
            if (exchange("true", probeEnd).isPresent()) {
                return;
            }
        }
        throw new GuestShellException("the guest did not answer on its command channel within " + deadline
                + diagnostics());
    }

    /**
     * Runs {@code command} in the guest ({@code sh}, stdin from /dev/null) and returns its output and status.
     *
     * @throws GuestShellException no answer by the deadline, or the channel closed
     */
    public synchronized Result run(String command, Duration deadline) {
        if (command.indexOf('\n') >= 0 || command.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("a guest command is one line: " + command);
        }
        return exchange(command, Instant.now().plus(deadline)).orElseThrow(() -> new GuestShellException(
                "guest command '" + command + "' gave no answer within " + deadline + diagnostics()));
    }

    /**
     * Starts {@code command} in the guest without waiting for its answer: for commands after which the guest
     * cannot answer (it powers off, panics and stays paused, reboots). A later {@link #run} skips the answer
     * should it come.
     */
    public synchronized void send(String command) {
        if (command.indexOf('\n') >= 0 || command.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("a guest command is one line: " + command);
        }
        try {
            socket.send("q" + nextId++ + " " + command);
        } catch (UncheckedIOException e) {
            throw new GuestShellException("the guest command channel " + socket.path() + " failed during '" + command
                    + "': " + e.getMessage() + diagnostics(), e);
        }
    }

    private Optional<Result> exchange(String command, Instant deadline) {
        String id = "q" + nextId++;
        String done = DONE_PREFIX + id + " ";
        List<String> output = new ArrayList<>();
        try {
            socket.send(id + " " + command);
            while (true) {
                Optional<String> line = socket.readLine(deadline);
                if (line.isEmpty()) {
                    return Optional.empty();
                }
                String text = line.get();
                if (text.startsWith(done)) {
                    return Optional.of(new Result(command, String.join("\n", output), exitCode(text, done)));
                } else if (text.startsWith(DONE_PREFIX)) {
                    output.clear(); // the end of an earlier request's answer: what came before was its output
                } else if (text.startsWith(OUTPUT_PREFIX)) {
                    output.add(text.substring(OUTPUT_PREFIX.length()));
                }
                // Any other line is not part of an answer, e.g. the tty echoing input before /init set it raw.
            }
        } catch (UncheckedIOException e) {
            throw new GuestShellException("the guest command channel " + socket.path() + " failed during '" + command
                    + "': " + e.getMessage() + diagnostics(), e);
        }
    }

    private static int exitCode(String line, String done) {
        try {
            return Integer.parseInt(line.substring(done.length()).strip());
        } catch (NumberFormatException e) {
            throw new GuestShellException("malformed end marker from the guest: " + line);
        }
    }

    private String diagnostics() {
        String text = diagnostics.get();
        return text == null || text.isEmpty() ? "" : "\n" + text;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
