package io.qeventd.runtime.host;

import java.io.File;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a short external command to completion with a time limit and returns what it printed.
 *
 * <p>Output goes to temporary files rather than pipes: nothing has to drain two pipes at once, and a
 * child the command leaves behind cannot hold the call open.
 */
public final class ProcessRunner {
    private static final File NO_INPUT = new File("/dev/null");

    private ProcessRunner() {
    }

    /** What a finished command returned. */
    public record Result(List<String> command, int exitCode, String stdout, String stderr) {
        public Result {
            command = List.copyOf(command);
        }

        public boolean succeeded() {
            return exitCode == 0;
        }

        /** The command as one line, for messages. */
        public String commandLine() {
            return ProcessRunner.commandLine(command);
        }
    }

    /**
     * Runs {@code command} and waits at most {@code timeout} for it; a command still running then is killed.
     *
     * @throws IOException      the command could not be started (e.g. the program does not exist)
     * @throws TimeoutException it did not finish in time
     */
    public static Result run(List<String> command, Duration timeout) throws IOException, TimeoutException {
        Path stdout = Files.createTempFile("qeventd-cmd-", ".out");
        Path stderr = Files.createTempFile("qeventd-cmd-", ".err");
        try {
            Process process = new ProcessBuilder(command)
                    .redirectInput(NO_INPUT)
                    .redirectOutput(stdout.toFile())
                    .redirectError(stderr.toFile())
                    .start();
            try {
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(5, TimeUnit.SECONDS);
                    throw new TimeoutException("'" + commandLine(command) + "' did not finish within " + timeout);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for '" + commandLine(command) + "'");
            }
            return new Result(command, process.exitValue(), read(stdout), read(stderr));
        } finally {
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
        }
    }

    /** Decodes leniently: a stray byte in a message must not hide the message. */
    private static String read(Path file) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    }

    static String commandLine(List<String> command) {
        return String.join(" ", command);
    }
}
