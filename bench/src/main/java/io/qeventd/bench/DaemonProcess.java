package io.qeventd.bench;

import io.qeventd.runtime.admin.AdminClient;
import io.qeventd.runtime.admin.AdminException;
import io.qeventd.runtime.admin.DomainStatus;
import io.qeventd.runtime.admin.StatusReport;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code qeventd run} as a process of its own, so that its memory is the daemon's alone: the stand-in QEMUs stay
 * in the bench's JVM. From a distribution it is started by bin/qeventd itself, with the JVM options that gives
 * the daemon; without one (the bench's own tests) as bin/qeventd would start it (the same java, the bench's
 * class path, {@code -XX:+ExitOnOutOfMemoryError}, {@code QEVENTD_JAVA_OPTS}). Watched through its admin socket.
 */
final class DaemonProcess implements AutoCloseable {
    static final String MAIN = "io.qeventd.runtime.cli.Main";
    private static final Duration ASK = Duration.ofSeconds(5);

    private final Process process;
    private final Path adminSocket;
    private final Path log;

    private DaemonProcess(Process process, Path adminSocket, Path log) {
        this.process = process;
        this.adminSocket = adminSocket;
        this.log = log;
    }

    /**
     * Starts {@code qeventd run --config FILE} with a configuration of the defaults but for the admin socket (in
     * {@code dir}, so that another daemon on this machine is left alone) and {@code extraYaml}.
     */
    static DaemonProcess start(Path dir, String extraYaml) throws IOException {
        Files.createDirectories(dir);
        Path socket = dir.resolve("admin.sock");
        Path config = dir.resolve("qeventd.yaml");
        Files.writeString(config, "admin:\n  socket: " + quoted(socket) + "\n" + extraYaml);
        List<String> cmd = new ArrayList<>();
        String home = System.getProperty("qeventd.home");
        Path launcher = home == null ? null : Path.of(home, "bin", "qeventd");
        if (launcher != null && Files.isExecutable(launcher)) {
            // The distribution's own launcher, with the JVM options it gives the daemon.
            cmd.addAll(List.of(launcher.toString(), "run", "--config", config.toString()));
        } else {
            cmd.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin",
                    "java").toString()));
            cmd.add("-XX:+ExitOnOutOfMemoryError");
            String opts = System.getenv("QEVENTD_JAVA_OPTS");
            if (opts != null && !opts.isBlank()) {
                cmd.addAll(List.of(opts.trim().split("\\s+")));
            }
            if (home != null) {
                cmd.add("-Dqeventd.home=" + Path.of(home).toAbsolutePath());
            }
            cmd.addAll(List.of("-cp", absolute(System.getProperty("java.class.path")), MAIN, "run", "--config",
                    config.toString()));
        }
        Path log = dir.resolve("daemon.log");
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        return new DaemonProcess(p, socket, log);
    }

    /** The class path with every entry absolute: the daemon runs in a directory of its own. */
    static String absolute(String classPath) {
        List<String> out = new ArrayList<>();
        for (String e : classPath.split(File.pathSeparator)) {
            if (!e.isEmpty()) {
                out.add(Path.of(e).toAbsolutePath().toString());
            }
        }
        return String.join(File.pathSeparator, out);
    }

    static String quoted(Path p) {
        return "'" + p.toString().replace("'", "''") + "'";
    }

    long pid() {
        return process.pid();
    }

    RssWatch rss() {
        return RssWatch.of(process.pid());
    }

    /**
     * Asks the daemon's JVM for a full collection ({@code jcmd PID GC.run}, from the JDK the bench runs on), so that
     * an RSS read next counts what the daemon holds rather than garbage not yet collected. False when this JDK has
     * no jcmd or it failed: the RSS then includes garbage.
     */
    boolean collectGarbage() throws InterruptedException {
        Path jcmd = ProcessHandle.current().info().command().map(Path::of).map(Path::getParent)
                .map(bin -> bin.resolve("jcmd")).filter(Files::isExecutable).orElse(null);
        if (jcmd == null) {
            return false;
        }
        try {
            Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid()), "GC.run")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** Waits until the daemon answers on its admin socket with {@code domains} domains connected. */
    StatusReport awaitConnected(int domains, Duration patience) throws Exception {
        long end = System.nanoTime() + patience.toNanos();
        String last = "no answer yet";
        while (System.nanoTime() < end) {
            alive();
            try {
                StatusReport r = status();
                long connected = r.domains().stream().filter(DomainStatus::connected).count();
                if (connected >= domains) {
                    return r;
                }
                last = connected + " of " + domains + " domains connected";
            } catch (AdminException e) {
                last = e.getMessage();
            }
            Thread.sleep(50); // polling another process: nothing to wait on here
        }
        throw new IllegalStateException("the daemon (pid " + pid() + ") did not get ready within " + patience
                + ": " + last + "; its log: " + tail());
    }

    StatusReport status() throws AdminException {
        return AdminClient.status(adminSocket, ASK);
    }

    /** Events read from every monitor so far. */
    static long read(StatusReport r) {
        return r.domains().stream().mapToLong(DomainStatus::events).sum();
    }

    static long queued(StatusReport r) {
        return r.domains().stream().mapToLong(DomainStatus::queueDepth).sum();
    }

    static long outcome(StatusReport r, String name) {
        return r.outcomes().getOrDefault(name, 0L);
    }

    /** Every outcome that ends an event's run for one handler (not slow, a report; not lost, the journal's own). */
    static long ended(StatusReport r) {
        long n = 0;
        for (var e : r.outcomes().entrySet()) {
            if (!e.getKey().equalsIgnoreCase("slow") && !e.getKey().equalsIgnoreCase("lost")) {
                n += e.getValue();
            }
        }
        return n;
    }

    void alive() {
        if (!process.isAlive()) {
            throw new IllegalStateException("the daemon (pid " + pid() + ") exited with " + process.exitValue()
                    + "; its log: " + tail());
        }
    }

    /** The last lines the daemon wrote. */
    String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n  ", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(" + log + " unreadable: " + e.getMessage() + ")";
        }
    }

    /** SIGTERM, as an operator stops it; after 30 s, killed. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
