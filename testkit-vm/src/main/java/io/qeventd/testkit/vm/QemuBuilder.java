package io.qeventd.testkit.vm;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects the options of a test's QEMU ({@link Qemu#builder()}); {@link #start()} runs it.
 *
 * <p>The command line has this shape (the parts in brackets only when asked for):
 * <pre>
 * [ip netns exec NETNS] [sh -c 'exec "$@" 3&lt;&gt;"$QEMU_TAP_FD_3"' sh] qemu-system-x86_64 -machine q35,accel=tcg
 *     -display none -nodefaults -m 256 [-S] [-qmp unix:PATH,server=on,wait=off ...]
 *     [-netdev user,id=ID-backend | -netdev tap,id=ID-backend,fd=3] -device virtio-net-pci,id=ID,netdev=ID-backend[,mac=MAC]
 *     [-kernel K] [-initrd I] [-append A] [EXTRA ARGS]
 * </pre>
 * {@code ip netns exec} and {@code sh} each exec the next program, so the process started is QEMU itself.
 */
public final class QemuBuilder {
    private static final Logger LOG = LoggerFactory.getLogger(QemuBuilder.class);
    private static final Duration POLL = Duration.ofMillis(20);
    /** Tap backends get descriptors 3, 4, ...: the first after stdin, stdout and stderr. */
    private static final int FIRST_TAP_FD = 3;

    private String binary = Qemu.BINARY;
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

    QemuBuilder() {
    }

    /** The program to run, {@value Qemu#BINARY} unless changed. */
    public QemuBuilder binary(String binary) {
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
    public QemuBuilder qmpSocket(String name) {
        return qmpSocket(name, runDirectory().resolve(name + ".qmp"));
    }

    /** Adds a QMP monitor on the unix socket {@code path} ({@code -qmp unix:PATH,server=on,wait=off}). */
    public QemuBuilder qmpSocket(String name, Path path) {
        requireNoComma(path);
        if (qmpSockets.putIfAbsent(name, path) != null) {
            throw new IllegalArgumentException("QMP socket '" + name + "' is added twice");
        }
        return this;
    }

    /** Waits in {@link #start()} also for another unix socket QEMU listens on, e.g. a chardev given in {@link #args}. */
    public QemuBuilder awaitSocket(Path path) {
        otherSockets.add(path);
        return this;
    }

    /** {@code -S}: the CPUs do not start until QMP {@code cont}. */
    public QemuBuilder paused() {
        this.paused = true;
        return this;
    }

    /** Adds a virtio-net-pci NIC with device id {@code id} on a user-mode backend. */
    public QemuBuilder nic(String id) {
        return nic(QemuNic.user(id));
    }

    /** Adds a virtio-net-pci NIC: on a user-mode or a tap backend, with the guest MAC it gives. */
    public QemuBuilder nic(QemuNic nic) {
        if (nic.tapDevice() != null) {
            requireNoComma(nic.tapDevice());
        }
        nics.add(nic);
        return this;
    }

    /** The guest kernel QEMU boots directly ({@code -kernel}). */
    public QemuBuilder kernel(Path kernel) {
        this.kernel = kernel;
        return this;
    }

    /** The guest's initial RAM disk ({@code -initrd}). */
    public QemuBuilder initrd(Path initrd) {
        this.initrd = initrd;
        return this;
    }

    /** The kernel command line ({@code -append}). */
    public QemuBuilder append(String append) {
        this.append = append;
        return this;
    }

    /** Further QEMU arguments, added after all others. */
    public QemuBuilder args(String... args) {
        extraArgs.addAll(List.of(args));
        return this;
    }

    /** Runs QEMU inside network namespace {@code netns} ({@code ip netns exec}); its sockets stay reachable. */
    public QemuBuilder netns(String netns) {
        this.netns = netns;
        return this;
    }

    /** The guest's memory ({@code -m}), 256 MiB unless changed. */
    public QemuBuilder memoryMiB(int memoryMiB) {
        this.memoryMiB = memoryMiB;
        return this;
    }

    /** How long {@link #start()} waits for the sockets to accept connections. */
    public QemuBuilder startTimeout(Duration startTimeout) {
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

    /**
     * Starts QEMU and waits until every socket accepts connections.
     *
     * @throws QemuStartException QEMU is not installed, exited, or did not listen within the start timeout
     */
    public Qemu start() {
        Path directory = runDirectory();
        try {
            requireInstalled(binary);
        } catch (QemuStartException e) {
            TestFiles.deleteRecursively(directory);
            throw e;
        }
        Path outputLog = directory.resolve("qemu-output.log");
        List<String> command = new ArrayList<>();
        ProcessBuilder builder = new ProcessBuilder(command);
        if (netns != null) {
            command.addAll(List.of("ip", "netns", "exec", netns));
        }
        // ProcessBuilder cannot hand a child extra descriptors; a shell opens each tap device on its fd and execs QEMU.
        List<Path> taps = nics.stream().map(QemuNic::tapDevice).filter(Objects::nonNull).toList();
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
            TestFiles.deleteRecursively(directory);
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
                            + qemu.exitValue() + " before " + socket + " listened"));
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
