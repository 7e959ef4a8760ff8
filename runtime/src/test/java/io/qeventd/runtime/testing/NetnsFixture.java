package io.qeventd.runtime.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.qeventd.runtime.host.ProcessRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;

/**
 * A network namespace of the test's own, {@code qe-<random>}, holding a veth pair {@value #LOWER} /
 * {@value #PEER} and a macvtap {@value #MACVTAP} on {@value #LOWER} (mode bridge), all up.
 *
 * <p>The macvtap's tap character device is made as a private node ({@link #tapDevice()}) from the
 * major:minor that sysfs shows inside the namespace. {@code /dev/tapN} cannot be trusted: N is the
 * ifindex, which each namespace numbers on its own, so two namespaces can both have a tap4 and
 * {@code /dev/tap4} then belongs to whichever was created first.
 *
 * <p>{@link #close()} deletes the namespace (and with it every device in it) and the node, also after a
 * failed test. Close QEMU first: a process inside the namespace keeps it alive.
 */
public final class NetnsFixture implements AutoCloseable {
    public static final String LOWER = "v0";
    public static final String PEER = "v1";
    public static final String MACVTAP = "mvt0";
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(20);

    private final String name;
    private final Path directory;
    private Path tapDevice;

    private NetnsFixture(String name, Path directory) {
        this.name = name;
        this.directory = directory;
    }

    /** Creates the namespace, the veth pair and the macvtap; cleans up whatever was made if a step fails. */
    public static NetnsFixture create() {
        String name = "qe-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        Path directory;
        try {
            directory = Files.createTempDirectory(Path.of("/tmp"), name + "-");
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a directory for netns " + name, e);
        }
        NetnsFixture fixture = new NetnsFixture(name, directory);
        try {
            fixture.setUp();
            return fixture;
        } catch (RuntimeException e) {
            fixture.close();
            throw e;
        }
    }

    private void setUp() {
        run("ip", "netns", "add", name);
        ip("link", "add", LOWER, "type", "veth", "peer", "name", PEER);
        ip("link", "add", "link", LOWER, "name", MACVTAP, "type", "macvtap", "mode", "bridge");
        ip("link", "set", "lo", "up");
        ip("link", "set", LOWER, "up");
        ip("link", "set", PEER, "up");
        ip("link", "set", MACVTAP, "up");
        String[] majorMinor = inside("sh", "-c", "cat /sys/class/net/" + MACVTAP + "/macvtap/tap*/dev").strip().split(":");
        if (majorMinor.length != 2) {
            throw new IllegalStateException("netns " + name + ": cannot read the tap device number of " + MACVTAP);
        }
        Path node = directory.resolve(MACVTAP + ".tap");
        run("mknod", node.toString(), "c", majorMinor[0], majorMinor[1]);
        tapDevice = node;
    }

    /** The namespace's name, e.g. {@code qe-1a2b3c4d}. */
    public String name() {
        return name;
    }

    /** The macvtap's tap character device, to open as QEMU's NIC backend ({@link QemuNic#tap}). */
    public Path tapDevice() {
        return tapDevice;
    }

    /** The macvtap's current MAC, lower case. */
    public String macvtapMac() {
        String json = ip("-json", "link", "show", "dev", MACVTAP);
        try {
            return new ObjectMapper().readTree(json).path(0).path("address").asText().toLowerCase(Locale.ROOT);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the MAC of " + MACVTAP + " in netns " + name + " from: " + json, e);
        }
    }

    /** Runs {@code ip -n NAME ARGS...} and returns its stdout; fails naming the command and stderr. */
    public String ip(String... args) {
        List<String> command = new ArrayList<>(List.of("ip", "-n", name));
        command.addAll(List.of(args));
        return run(command.toArray(String[]::new));
    }

    /** Runs a command inside the namespace ({@code ip netns exec NAME ...}) and returns its stdout. */
    public String inside(String... command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(List.of(command));
        return run(full.toArray(String[]::new));
    }

    /** Whether {@code ip netns list} still shows a namespace of this name. */
    public static boolean exists(String name) {
        return run("ip", "netns", "list").lines().anyMatch(line -> line.equals(name) || line.startsWith(name + " "));
    }

    @Override
    public void close() {
        try {
            if (exists(name)) {
                run("ip", "netns", "del", name);
            }
        } finally {
            Qemu.deleteRecursively(directory);
        }
    }

    private static String run(String... command) {
        try {
            ProcessRunner.Result result = ProcessRunner.run(List.of(command), COMMAND_TIMEOUT);
            if (!result.succeeded()) {
                throw new IllegalStateException("'" + result.commandLine() + "' exited " + result.exitCode() + ": "
                        + result.stderr().strip());
            }
            return result.stdout();
        } catch (IOException | TimeoutException e) {
            throw new IllegalStateException("cannot run '" + String.join(" ", command) + "': " + e.getMessage(), e);
        }
    }
}
