package io.qeventd.testkit.vm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code qemu-system-x86_64} for tests: {@code -machine q35,accel=tcg -display none -nodefaults}, with
 * QMP unix sockets, virtio-net NICs, an optional kernel, run in the test's network namespace if asked.
 *
 * <pre>{@code
 * try (Qemu qemu = Qemu.builder().qmpSocket("daemon").qmpSocket("test").paused().nic("net0").start()) {
 *     Path monitor = qemu.qmpSocket("daemon");
 * }
 * }</pre>
 *
 * <p>{@link QemuBuilder#start()} returns once every QMP socket accepts connections. QEMU's stdout and stderr go
 * to a file whose tail failure messages quote. {@link #close()} kills QEMU and removes its sockets and files.
 * A missing QEMU fails the test; it is never skipped.
 */
public final class Qemu implements AutoCloseable {
    /** The QEMU program run unless {@link QemuBuilder#binary} says otherwise. */
    public static final String BINARY = "qemu-system-x86_64";
    private static final int TAIL_LINES = 30;

    private final Process process;
    private final List<String> commandLine;
    private final Path runDirectory;
    private final Path outputLog;
    private final Map<String, Path> qmpSockets;
    private final List<Path> socketsToRemove;

    Qemu(Process process, List<String> commandLine, Path runDirectory, Path outputLog,
                 Map<String, Path> qmpSockets, List<Path> socketsToRemove) {
        this.process = process;
        this.commandLine = List.copyOf(commandLine);
        this.runDirectory = runDirectory;
        this.outputLog = outputLog;
        this.qmpSockets = Map.copyOf(qmpSockets);
        this.socketsToRemove = List.copyOf(socketsToRemove);
    }

    /** A new set of options; {@link QemuBuilder#start()} runs QEMU with them. */
    public static QemuBuilder builder() {
        return new QemuBuilder();
    }

    /** The QMP socket added as {@code name}. */
    public Path qmpSocket(String name) {
        Path socket = qmpSockets.get(name);
        if (socket == null) {
            throw new IllegalArgumentException("no QMP socket named '" + name + "'; there are " + qmpSockets.keySet());
        }
        return socket;
    }

    /** The process id of QEMU itself (also when run through {@code ip netns exec}: each step execs the next). */
    public long pid() {
        return process.pid();
    }

    /** Whether QEMU still runs: it exits on QMP {@code quit}, on a crash, or when the guest powers off. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** QEMU's exit status; only once it has exited. */
    int exitValue() {
        return process.exitValue();
    }

    /** Kills QEMU with SIGKILL, as a crash or {@code kill -9} would, and waits until it is gone. */
    public void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("QEMU " + pid() + " survived SIGKILL for 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for QEMU " + pid() + " to die", e);
        }
    }

    /** Stops QEMU with SIGSTOP: its sockets stay open but nothing answers (a hung VM). */
    public void pause() {
        signal("STOP");
    }

    /** Continues QEMU after {@link #pause()} with SIGCONT. */
    public void resume() {
        signal("CONT");
    }

    /** The command line that was run, including any {@code ip netns exec} and fd-opening shell. */
    public List<String> commandLine() {
        return commandLine;
    }

    /** A directory of this QEMU's own (sockets, logs), removed by {@link #close()}. */
    public Path runDirectory() {
        return runDirectory;
    }

    /** The last lines QEMU wrote to stdout and stderr. */
    public String outputTail() {
        return tail(outputLog, TAIL_LINES);
    }

    /** Kills QEMU if it runs, waits for it and removes its sockets and run directory. */
    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
        socketsToRemove.forEach(TestFiles::deleteQuietly);
        TestFiles.deleteRecursively(runDirectory);
    }

    private void signal(String name) {
        HostCommand.check(Duration.ofSeconds(10), "kill", "-" + name, Long.toString(pid()));
    }

    /** A failure message with the command line and the tail of QEMU's output. */
    String failure(String what) {
        return what + "\ncommand: " + String.join(" ", commandLine) + "\nQEMU output (last " + TAIL_LINES
                + " lines):\n" + outputTail();
    }

    /** The last {@code lines} lines of a text file, or a note saying why there are none. */
    static String tail(Path file, int lines) {
        try {
            List<String> all = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).lines().toList();
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }
}
