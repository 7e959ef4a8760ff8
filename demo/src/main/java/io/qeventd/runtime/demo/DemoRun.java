package io.qeventd.runtime.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.qeventd.runtime.monitor.MonitorReactor;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * {@code qeventd demo}: starts the VMs (simulated, or real QEMU), runs a {@link DemoSession} against them,
 * and cleans up whatever happens: VMs stopped, the working directory removed.
 */
public final class DemoRun {
    public static final int OK = 0;
    public static final int FAILURE = 1;

    private final DemoOptions options;
    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean terminal;

    /** @param terminal whether {@code out} is a terminal, for {@link DemoOptions.View#AUTO} */
    public DemoRun(DemoOptions options, PrintWriter out, PrintWriter err, boolean terminal) {
        this.options = options;
        this.out = out;
        this.err = err;
        this.terminal = terminal;
    }

    /** Runs the demo; {@link #OK} when every step went as planned and every event was accounted for. */
    public int run() {
        if (options.realQemu()) {
            for (String program : List.of(QemuLaunch.QEMU, QemuLaunch.QEMU_IMG)) {
                if (QemuLaunch.onPath(program).isEmpty()) {
                    err.println("qeventd demo --qemu: " + program + " is not on PATH (Debian: apt-get install"
                            + " qemu-system-x86 qemu-utils); without --qemu the demo simulates QEMU");
                    err.flush();
                    return FAILURE;
                }
            }
        }
        List<DemoScenario.Plot> plots = DemoScenario.plots();
        out.println(options.realQemu()
                ? "qeventd demo: the daemon watches " + plots.size() + " real QEMU instances (no guest, TCG)"
                : "qeventd demo: the daemon watches " + plots.size() + " simulated QEMU 7.2 VMs");
        out.println("through their QMP sockets and runs its plugins for every event they send.");
        out.flush();
        Path dir;
        try {
            dir = Files.createTempDirectory("qeventd-demo-");
        } catch (IOException e) {
            err.println("qeventd demo: cannot create a working directory: " + e.getMessage());
            return FAILURE;
        }
        List<DemoVm> vms = new CopyOnWriteArrayList<>();
        MonitorReactor drivers = options.realQemu() ? new MonitorReactor(1, new ObjectMapper()) : null;
        // Interrupted (SIGINT, SIGTERM), the JVM still ends the QEMU processes and removes the directory.
        Thread cleanup = new Thread(() -> cleanUp(vms, drivers, dir), "qeventd-demo-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            for (DemoScenario.Plot plot : plots) {
                vms.add(options.realQemu()
                        ? new QemuDemoVm(plot.vm(), plot.mac(), dir, drivers)
                        : new FakeDemoVm(plot.vm(), plot.mac(), dir.resolve(plot.vm() + ".qmp")));
            }
            return new DemoSession(options, dir, plots, vms, out, err, terminal).run();
        } catch (DemoException e) {
            err.println("qeventd demo: " + e.getMessage());
            return FAILURE;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException shuttingDown) {
                // The hook runs anyway.
            }
            cleanUp(vms, drivers, dir);
            out.flush();
            err.flush();
        }
    }

    private static void cleanUp(List<DemoVm> vms, MonitorReactor drivers, Path dir) {
        vms.forEach(DemoVm::close);
        vms.clear();
        if (drivers != null) {
            drivers.close();
        }
        deleteTree(dir);
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // Left behind in the temporary directory; nothing depends on it.
                }
            });
        } catch (IOException e) {
            // As above.
        }
    }
}
