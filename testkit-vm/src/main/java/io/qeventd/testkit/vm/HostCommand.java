package io.qeventd.testkit.vm;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A host command a fixture runs (ip, mknod, kill, the guest build script), to completion within a time limit.
 * A fixture cannot go on without it, so every failure to run it is an {@link IllegalStateException} naming the
 * command. Output goes through temporary files, so a child left behind by the command cannot hold a pipe open.
 */
final class HostCommand {
    private HostCommand() {
    }

    /** How a command ended. */
    record Result(String commandLine, int exitCode, String stdout, String stderr) {
        /** The command's stdout if it exited 0; otherwise fails naming the command, its status and its stderr. */
        String stdoutIfSucceeded() {
            if (exitCode != 0) {
                throw new IllegalStateException("'" + commandLine + "' exited " + exitCode + ": " + stderr.strip());
            }
            return stdout;
        }
    }

    /** Runs {@code command} and returns its stdout; fails unless it exits 0 within {@code timeout}. */
    static String check(Duration timeout, String... command) {
        return run(List.of(command), timeout).stdoutIfSucceeded();
    }

    /**
     * Runs {@code command}, waiting {@code timeout} at most (then it is killed).
     *
     * @throws IllegalStateException it could not be started, did not finish in time, or the wait was interrupted
     */
    static Result run(List<String> command, Duration timeout) {
        String commandLine = String.join(" ", command);
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("qeventd-fixture-", ".out");
            err = Files.createTempFile("qeventd-fixture-", ".err");
            Process process = new ProcessBuilder(command).redirectInput(new File("/dev/null"))
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                throw new IllegalStateException("'" + commandLine + "' did not finish within " + timeout);
            }
            return new Result(commandLine, process.exitValue(), text(out), text(err));
        } catch (IOException e) {
            throw new IllegalStateException("cannot run '" + commandLine + "': " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running '" + commandLine + "'", e);
        } finally {
            TestFiles.deleteRecursively(out);
            TestFiles.deleteRecursively(err);
        }
    }

    /** Leniently decoded: a stray byte must not hide the rest of a message. */
    private static String text(Path file) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    }
}
