package io.qeventd.runtime.demo;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Starts {@code qemu-system-x86_64} for the demo: no guest, paused ({@code -S}), TCG, two QMP sockets (the
 * daemon's and the scenario driver's; QEMU serves one client per socket and sends events to all), a
 * virtio-net NIC {@code net0} and a USB controller to plug a tablet into.
 */
final class QemuLaunch {
    static final String QEMU = "qemu-system-x86_64";
    static final String QEMU_IMG = "qemu-img";
    private static final Duration SOCKETS_DEADLINE = Duration.ofSeconds(20);

    private QemuLaunch() {
    }

    /** The program's path when it is on PATH. */
    static Optional<Path> onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    static List<String> commandLine(String name, String mac, Path daemonSocket, Path driverSocket) {
        List<String> args = new ArrayList<>(List.of(QEMU, "-name", name, "-machine", "q35,accel=tcg", "-S",
                "-display", "none", "-nodefaults", "-m", "128"));
        for (Path socket : List.of(daemonSocket, driverSocket)) {
            args.addAll(List.of("-qmp", "unix:" + socket + ",server=on,wait=off"));
        }
        args.addAll(List.of("-device", "qemu-xhci,id=xhci",
                "-netdev", "user,id=hostnet0",
                "-device", "virtio-net-pci,netdev=hostnet0,id=net0,mac=" + mac));
        return args;
    }

    /** Starts QEMU and returns once both QMP sockets exist; its output goes to {@code log}. */
    static Process start(List<String> command, Path log, Path... sockets) {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new DemoException("cannot start " + QEMU + ": " + e.getMessage(), e);
        }
        long end = System.nanoTime() + SOCKETS_DEADLINE.toNanos();
        try {
            while (!allExist(sockets)) {
                if (!p.isAlive()) {
                    throw new DemoException(QEMU + " exited with status " + p.exitValue() + ": " + tail(log));
                }
                if (System.nanoTime() > end) {
                    p.destroyForcibly();
                    throw new DemoException(QEMU + " did not create its QMP sockets within "
                            + SOCKETS_DEADLINE.toSeconds() + " s: " + tail(log));
                }
                // QEMU gives no other sign that its sockets are ready than their existence.
                p.waitFor(20, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new DemoException("interrupted while starting " + QEMU, e);
        }
        return p;
    }

    /** Makes an empty qcow2 image with qemu-img. */
    static void createImage(Path image, String size) {
        List<String> command = List.of(QEMU_IMG, "create", "-q", "-f", "qcow2", image.toString(), size);
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new DemoException(String.join(" ", command) + " failed: " + output.strip());
            }
        } catch (IOException e) {
            throw new DemoException("cannot run " + QEMU_IMG + " (Debian: apt-get install qemu-utils): "
                    + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DemoException("interrupted while running " + QEMU_IMG, e);
        }
    }

    private static boolean allExist(Path... sockets) {
        for (Path s : sockets) {
            if (!Files.exists(s)) {
                return false;
            }
        }
        return true;
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }
}
