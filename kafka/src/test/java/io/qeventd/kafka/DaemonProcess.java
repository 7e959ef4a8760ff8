package io.qeventd.kafka;

import io.qeventd.runtime.cli.Main;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code qeventd run} in a JVM of its own, on this test's class path (the forwarder included), so that a
 * crash can be a real SIGKILL. Output goes to {@code NAME.log} in the given directory.
 */
final class DaemonProcess implements AutoCloseable {
    private final Process process;
    private final Path output;

    private DaemonProcess(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    static DaemonProcess run(Path config, Path dir, String name) throws IOException {
        Path out = dir.resolve(name + ".log");
        Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "run", "--config", config.toString()))
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        return new DaemonProcess(p, out);
    }

    /** SIGKILL, and waits until the process is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("qeventd " + process.pid() + " survived SIGKILL for 30 s");
        }
    }

    /** SIGTERM: a graceful stop; returns the exit code. */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("qeventd " + process.pid() + " did not stop within 30 s\n" + tail());
        }
        return process.exitValue();
    }

    String tail() {
        return "qeventd output (" + output + "):\n" + KafkaBroker.tail(output, 30);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
