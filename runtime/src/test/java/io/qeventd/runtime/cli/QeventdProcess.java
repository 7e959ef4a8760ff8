package io.qeventd.runtime.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@code qeventd} in a JVM of its own, on this test's classpath, so that signals and exit codes are real. */
final class QeventdProcess implements AutoCloseable {
    private final Process process;
    final Path stdout;
    final Path stderr;

    private QeventdProcess(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    static QeventdProcess start(Path dir, String... args) throws IOException {
        return startWithJvmOptions(dir, List.of(), args);
    }

    /** As {@link #start}, with JVM options such as a heap cap. */
    static QeventdProcess startWithJvmOptions(Path dir, List<String> jvmOptions, String... args) throws IOException {
        return startUnder(List.of(), dir, jvmOptions, args);
    }

    /** As {@link #start}, run under {@code wrapper} (e.g. {@code prlimit --nofile=64}) with JVM options. */
    static QeventdProcess startUnder(List<String> wrapper, Path dir, List<String> jvmOptions, String... args)
            throws IOException {
        Files.createDirectories(dir);
        List<String> command = new ArrayList<>(wrapper);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        command.addAll(List.of(args));
        Path out = dir.resolve("stdout.txt");
        Path err = dir.resolve("stderr.txt");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        return new QeventdProcess(p, out, err);
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: the process ends at once, wherever it is. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Sends a signal by name (e.g. HUP) with kill(1). */
    void signal(String name) throws IOException, InterruptedException {
        Process k = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        if (k.waitFor() != 0) {
            throw new AssertionError("kill -" + name + " " + process.pid() + " failed");
        }
    }

    /** SIGTERM, as systemd and kill send it. */
    void terminate() {
        process.destroy();
    }

    /** The exit code; fails the test when the process is still running after {@code deadline}. */
    int awaitExit(Duration deadline) throws InterruptedException {
        if (!process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("qeventd did not exit within " + deadline.toMillis() + " ms; stderr:\n" + err());
        }
        return process.exitValue();
    }

    String err() {
        try {
            return Files.readString(stderr);
        } catch (IOException e) {
            return "(cannot read " + stderr + ": " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
