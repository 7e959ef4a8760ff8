package io.qeventd.runtime.testing;

import io.qeventd.runtime.host.ProcessRunner;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * <p>{@link Builder#start()} returns once every QMP socket accepts connections. QEMU's stdout and stderr go
 * to a file whose tail failure messages quote. {@link #close()} kills QEMU and removes its sockets and files.
 * A missing QEMU fails the test; it is never skipped.
 */
public final class Qemu implements AutoCloseable {
    public static final String BINARY = "qemu-system-x86_64";
    private static final Logger LOG = LoggerFactory.getLogger(Qemu.class);
    private static final Duration POLL = Duration.ofMillis(20);
    private static final int TAIL_LINES = 30;

    private final Process process;
    private final List<String> commandLine;
    private final Path runDirectory;
    private final Path outputLog;
    private final Map<String, Path> qmpSockets;
    private final List<Path> socketsToRemove;

    private Qemu(Process process, List<String> commandLine, Path runDirectory, Path outputLog,
                 Map<String, Path> qmpSockets, List<Path> socketsToRemove) {
        this.process = process;
        this.commandLine = List.copyOf(commandLine);
        this.runDirectory = runDirectory;
        this.outputLog = outputLog;
        this.qmpSockets = Map.copyOf(qmpSockets);
        this.socketsToRemove = List.copyOf(socketsToRemove);
    }

    public static Builder builder() {
        return new Builder();
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

    public boolean isAlive() {
        return process.isAlive();
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
        for (Path socket : socketsToRemove) {
            deleteQuietly(socket);
        }
        deleteRecursively(runDirectory);
    }

    private void signal(String name) {
        List<String> command = List.of("kill", "-" + name, Long.toString(pid()));
        try {
            ProcessRunner.Result result = ProcessRunner.run(command, Duration.ofSeconds(10));
            if (!result.succeeded()) {
                throw new IllegalStateException("'" + result.commandLine() + "' failed: " + result.stderr().strip());
            }
        } catch (IOException | TimeoutException e) {
            throw new IllegalStateException("cannot send SIG" + name + " to QEMU " + pid(), e);
        }
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

    static void deleteRecursively(Path directory) {
        if (directory == null || !Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(Qemu::deleteQuietly);
        } catch (IOException e) {
            LOG.warn("cannot remove {}: {}", directory, e.toString());
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.warn("cannot remove {}: {}", path, e.toString());
        }
    }

    /** Collects QEMU's options; {@link #start()} runs it. */
    public static final class Builder {
        private String binary = BINARY;
        private Path runDirectory;
        private final Map<String, Path> qmpSockets = new LinkedHashMap<>();
        private final List<Path> otherSockets = new ArrayList<>();
        private final List<QemuNic> nics = new ArrayList<>();
        private final List<String> extraArgs = new ArrayList<>();
        private boolean paused;
        private Path kernel;
        private Path initrd;
        private String append;
        private String netns;
        private int memoryMiB = 256;
        private Duration startTimeout = Duration.ofSeconds(30);

        private Builder() {
        }

        /** The program to run, {@value Qemu#BINARY} unless changed. */
        public Builder binary(String binary) {
            this.binary = binary;
            return this;
        }

        /**
         * The directory for this QEMU's sockets and logs, created on first use under /tmp (unix socket paths
         * must stay short). Tests may put their own files there; {@link Qemu#close()} removes it.
         */
        public Path runDirectory() {
            if (runDirectory == null) {
                try {
                    runDirectory = Files.createTempDirectory(Path.of("/tmp"), "qemu-");
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot create a run directory for QEMU under /tmp", e);
                }
            }
            return runDirectory;
        }

        /** Adds a QMP monitor on the unix socket {@code <run directory>/<name>.qmp}. */
        public Builder qmpSocket(String name) {
            return qmpSocket(name, runDirectory().resolve(name + ".qmp"));
        }

        /** Adds a QMP monitor on the unix socket {@code path} ({@code -qmp unix:PATH,server=on,wait=off}). */
        public Builder qmpSocket(String name, Path path) {
            requireNoComma(path);
            if (qmpSockets.putIfAbsent(name, path) != null) {
                throw new IllegalArgumentException("QMP socket '" + name + "' is added twice");
            }
            return this;
        }

        /** Waits in {@link #start()} also for another unix socket QEMU listens on, e.g. a chardev given in {@link #args}. */
        public Builder awaitSocket(Path path) {
            otherSockets.add(path);
            return this;
        }

        /** {@code -S}: the CPUs do not start until QMP {@code cont}. */
        public Builder paused() {
            this.paused = true;
            return this;
        }

        /** Adds a virtio-net-pci NIC with device id {@code id} on a user-mode backend. */
        public Builder nic(String id) {
            return nic(QemuNic.user(id));
        }

        public Builder nic(QemuNic nic) {
            if (nic.tapDevice() != null) {
                requireNoComma(nic.tapDevice());
            }
            nics.add(nic);
            return this;
        }

        public Builder kernel(Path kernel) {
            this.kernel = kernel;
            return this;
        }

        public Builder initrd(Path initrd) {
            this.initrd = initrd;
            return this;
        }

        /** The kernel command line ({@code -append}). */
        public Builder append(String append) {
            this.append = append;
            return this;
        }

        /** Further QEMU arguments, added after all others. */
        public Builder args(String... args) {
            extraArgs.addAll(List.of(args));
            return this;
        }

        /** Runs QEMU inside network namespace {@code netns} ({@code ip netns exec}); its sockets stay reachable. */
        public Builder netns(String netns) {
            this.netns = netns;
            return this;
        }

        public Builder memoryMiB(int memoryMiB) {
            this.memoryMiB = memoryMiB;
            return this;
        }

        /** How long {@link #start()} waits for the sockets to accept connections. */
        public Builder startTimeout(Duration startTimeout) {
            this.startTimeout = startTimeout;
            return this;
        }

        /** QEMU's own arguments (without the namespace and fd wrapper). */
        public List<String> qemuArgs() {
            List<String> args = new ArrayList<>(List.of(binary, "-machine", "q35,accel=tcg", "-display", "none",
                    "-nodefaults", "-m", Integer.toString(memoryMiB)));
            if (paused) {
                args.add("-S");
            }
            qmpSockets.values().forEach(socket -> args.addAll(List.of("-qmp", "unix:" + socket + ",server=on,wait=off")));
            int fd = FIRST_TAP_FD;
            for (QemuNic nic : nics) {
                String backend = nic.tapDevice() == null
                        ? "user,id=" + nic.backendId()
                        : "tap,id=" + nic.backendId() + ",fd=" + fd++;
                args.addAll(List.of("-netdev", backend, "-device", "virtio-net-pci,id=" + nic.id() + ",netdev="
                        + nic.backendId() + (nic.mac() == null ? "" : ",mac=" + nic.mac())));
            }
            if (kernel != null) {
                args.addAll(List.of("-kernel", kernel.toString()));
            }
            if (initrd != null) {
                args.addAll(List.of("-initrd", initrd.toString()));
            }
            if (append != null) {
                args.addAll(List.of("-append", append));
            }
            args.addAll(extraArgs);
            return args;
        }

        private static final int FIRST_TAP_FD = 3;

        /**
         * Starts QEMU and waits until every socket accepts connections.
         *
         * @throws QemuStartException QEMU is not installed, exited, or did not listen within the start timeout
         */
        public Qemu start() {
            requireInstalled(binary);
            Path directory = runDirectory();
            Path outputLog = directory.resolve("qemu-output.log");
            List<String> command = new ArrayList<>();
            ProcessBuilder builder = new ProcessBuilder(command);
            if (netns != null) {
                command.addAll(List.of("ip", "netns", "exec", netns));
            }
            // ProcessBuilder cannot hand a child extra descriptors; a shell opens each tap device on its fd and execs QEMU.
            List<Path> taps = nics.stream().map(QemuNic::tapDevice).filter(t -> t != null).toList();
            if (!taps.isEmpty()) {
                StringBuilder script = new StringBuilder("exec \"$@\"");
                for (int i = 0; i < taps.size(); i++) {
                    int fd = FIRST_TAP_FD + i;
                    script.append(' ').append(fd).append("<>\"$QEMU_TAP_FD_").append(fd).append('"');
                    builder.environment().put("QEMU_TAP_FD_" + fd, taps.get(i).toString());
                }
                command.addAll(List.of("sh", "-c", script.toString(), "sh"));
            }
            command.addAll(qemuArgs());
            List<Path> sockets = new ArrayList<>(qmpSockets.values());
            sockets.addAll(otherSockets);

            Process process;
            try {
                process = builder.redirectInput(new File("/dev/null"))
                        .redirectErrorStream(true)
                        .redirectOutput(outputLog.toFile())
                        .start();
            } catch (IOException e) {
                deleteRecursively(directory);
                throw new QemuStartException("cannot run " + String.join(" ", command), e);
            }
            Qemu qemu = new Qemu(process, command, directory, outputLog, qmpSockets, sockets);
            LOG.debug("started QEMU {}: {}", qemu.pid(), String.join(" ", command));
            try {
                awaitListening(qemu, sockets);
                return qemu;
            } catch (RuntimeException e) {
                qemu.close();
                throw e;
            }
        }

        private void awaitListening(Qemu qemu, List<Path> sockets) {
            Instant deadline = Instant.now().plus(startTimeout);
            for (Path socket : sockets) {
                while (!accepts(socket)) {
                    if (!qemu.isAlive()) {
                        throw new QemuStartException(qemu.failure("QEMU exited with status "
                                + qemu.process.exitValue() + " before " + socket + " listened"));
                    }
                    if (Instant.now().isAfter(deadline)) {
                        throw new QemuStartException(qemu.failure(socket + " did not accept connections within "
                                + startTimeout));
                    }
                    try {
                        Thread.sleep(POLL.toMillis());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new QemuStartException("interrupted while waiting for " + socket, e);
                    }
                }
            }
        }

        private static boolean accepts(Path socket) {
            if (!Files.exists(socket)) {
                return false;
            }
            try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                channel.connect(UnixDomainSocketAddress.of(socket));
                return true;
            } catch (IOException e) {
                return false;
            }
        }

        private static void requireNoComma(Path path) {
            if (path.toString().contains(",")) {
                throw new IllegalArgumentException("QEMU option values cannot hold a comma: " + path);
            }
        }

        private static void requireInstalled(String binary) {
            boolean found = binary.contains("/")
                    ? Files.isExecutable(Path.of(binary))
                    : Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                            .filter(dir -> !dir.isEmpty())
                            .anyMatch(dir -> Files.isExecutable(Path.of(dir, binary)));
            if (!found) {
                throw new QemuStartException(binary + " is not installed (not found on PATH=" + System.getenv("PATH")
                        + "). The real-QEMU tests need it: run the project's test script .ci/run, which installs it,"
                        + " or apt-get install qemu-system-x86.");
            }
        }
    }

    /** A failure message with the command line and the tail of QEMU's output. */
    String failure(String what) {
        return what + "\ncommand: " + String.join(" ", commandLine) + "\nQEMU output (last " + TAIL_LINES
                + " lines):\n" + outputTail();
    }
}
