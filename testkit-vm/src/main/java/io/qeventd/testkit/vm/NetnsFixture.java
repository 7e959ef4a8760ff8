package io.qeventd.testkit.vm;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A network namespace of the test's own, {@code qe-<random>}, holding a veth pair {@value #LOWER} /
 * {@value #PEER} and a macvtap {@value #MACVTAP} on {@value #LOWER} (mode bridge), all up.
 * {@link #create(int)} adds further macvtaps, each on a veth pair of its own: {@code mvt1} on
 * {@code v2} (peer {@code v3}), {@code mvt2} on {@code v4}, and so on ({@link #macvtap(int)}).
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
    /** The veth end the first macvtap sits on. */
    public static final String LOWER = "v0";
    /** The other end of the first veth pair. */
    public static final String PEER = "v1";
    /** The first macvtap. */
    public static final String MACVTAP = "mvt0";
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(20);

    private final String name;
    private final Path directory;
    private final Map<String, Path> tapDevices = new LinkedHashMap<>();

    private NetnsFixture(String name, Path directory) {
        this.name = name;
        this.directory = directory;
    }

    /** Creates the namespace, the veth pair and the macvtap; cleans up whatever was made if a step fails. */
    public static NetnsFixture create() {
        return create(1);
    }

    /**
     * Creates the namespace with {@code macvtaps} macvtaps ({@link #macvtap(int)} names them), each on a veth
     * pair of its own so that one's flags and filters never touch another's lower device.
     */
    public static NetnsFixture create(int macvtaps) {
        if (macvtaps < 1) {
            throw new IllegalArgumentException("a namespace fixture needs at least one macvtap, not " + macvtaps);
        }
        String name = "qe-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        Path directory;
        try {
            directory = Files.createTempDirectory(Path.of("/tmp"), name + "-");
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a directory for netns " + name, e);
        }
        NetnsFixture fixture = new NetnsFixture(name, directory);
        try {
            fixture.setUp(macvtaps);
            return fixture;
        } catch (RuntimeException e) {
            fixture.close();
            throw e;
        }
    }

    private void setUp(int macvtaps) {
        run("ip", "netns", "add", name);
        ip("link", "set", "lo", "up");
        for (int i = 0; i < macvtaps; i++) {
            addMacvtap(lower(i), peer(i), macvtap(i));
        }
    }

    private void addMacvtap(String lower, String peer, String macvtap) {
        ip("link", "add", lower, "type", "veth", "peer", "name", peer);
        ip("link", "add", "link", lower, "name", macvtap, "type", "macvtap", "mode", "bridge");
        ip("link", "set", lower, "up");
        ip("link", "set", peer, "up");
        ip("link", "set", macvtap, "up");
        String[] majorMinor = inside("sh", "-c", "cat /sys/class/net/" + macvtap + "/macvtap/tap*/dev").strip().split(":");
        if (majorMinor.length != 2) {
            throw new IllegalStateException("netns " + name + ": cannot read the tap device number of " + macvtap);
        }
        Path node = directory.resolve(macvtap + ".tap");
        run("mknod", node.toString(), "c", majorMinor[0], majorMinor[1]);
        tapDevices.put(macvtap, node);
    }

    /** The name of macvtap number {@code index}: {@value #MACVTAP} for 0, then {@code mvt1}, {@code mvt2}, ... */
    public static String macvtap(int index) {
        return index == 0 ? MACVTAP : "mvt" + index;
    }

    /** The veth end macvtap number {@code index} sits on: {@value #LOWER} for 0, then {@code v2}, {@code v4}, ... */
    public static String lower(int index) {
        return index == 0 ? LOWER : "v" + 2 * index;
    }

    /** The other end of that veth pair: {@value #PEER} for 0, then {@code v3}, {@code v5}, ... */
    public static String peer(int index) {
        return index == 0 ? PEER : "v" + (2 * index + 1);
    }

    /** The namespace's name, e.g. {@code qe-1a2b3c4d}. */
    public String name() {
        return name;
    }

    /** The first macvtap's tap character device, to open as QEMU's NIC backend ({@link QemuNic#tap}). */
    public Path tapDevice() {
        return tapDevice(MACVTAP);
    }

    /** The tap character device of the macvtap named {@code macvtap}. */
    public Path tapDevice(String macvtap) {
        Path node = tapDevices.get(macvtap);
        if (node == null) {
            throw new IllegalArgumentException("netns " + name + " has no macvtap " + macvtap + "; it has "
                    + tapDevices.keySet());
        }
        return node;
    }

    /** The first macvtap's current MAC, lower case. */
    public String macvtapMac() {
        return mac(MACVTAP);
    }

    /** The current MAC of {@code device} in the namespace, lower case. */
    public String mac(String device) {
        String json = ip("-json", "link", "show", "dev", device);
        try {
            return new ObjectMapper().readTree(json).path(0).path("address").asText().toLowerCase(Locale.ROOT);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the MAC of " + device + " in netns " + name + " from: " + json, e);
        }
    }

    /**
     * Turns IPv6 off on {@code device}. The kernel then leaves the IPv6 multicast groups it joined for the
     * device by itself; such kernel-held groups cannot be removed with {@code ip maddr del}, so a test that
     * expects a device's multicast list to equal another's needs them gone.
     */
    public void disableIpv6(String device) {
        if (!device.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("not a network interface name: '" + device + "'");
        }
        inside("sh", "-c", "echo 1 > /proc/sys/net/ipv6/conf/" + device + "/disable_ipv6");
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
            TestFiles.deleteRecursively(directory);
        }
    }

    private static String run(String... command) {
        return HostCommand.check(COMMAND_TIMEOUT, command);
    }
}
