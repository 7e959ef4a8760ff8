package io.qeventd.runtime.demo;

import com.google.inject.Guice;
import com.google.inject.Stage;
import io.qeventd.api.LinkState;
import io.qeventd.runtime.admin.AdminSocketException;
import io.qeventd.runtime.admin.RunState;
import io.qeventd.runtime.admin.StatusReport;
import io.qeventd.runtime.config.ConfigException;
import io.qeventd.runtime.config.ConfigLoader;
import io.qeventd.runtime.config.QeventdConfig;
import io.qeventd.runtime.daemon.Daemon;
import io.qeventd.runtime.daemon.RuntimeModule;
import io.qeventd.runtime.domain.DomainHandle;
import io.qeventd.runtime.host.DryRunHostNetwork;
import io.qeventd.runtime.host.InMemoryHostNetwork;
import io.qeventd.runtime.monitor.MonitorConnection;
import io.qeventd.runtime.monitor.MonitorState;
import io.qeventd.runtime.plugin.PluginStatus;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.pf4j.RuntimeMode;

/**
 * The daemon's part of the demo: configured for the VMs as an operator would, with the plugins directory
 * and a dry-run host network over an in-memory model of the VMs' host devices; then the scenario, a view
 * of what the daemon does, and a summary once every event has been accounted for.
 */
final class DemoSession {
    private static final Duration CONNECT_DEADLINE = Duration.ofSeconds(30);
    private static final Duration ACCOUNT_DEADLINE = Duration.ofSeconds(30);
    private static final Duration DRAIN = Duration.ofSeconds(30);

    private final DemoOptions options;
    private final Path dir;
    private final List<DemoScenario.Plot> plots;
    private final List<DemoVm> vms;
    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean terminal;
    private final LineRelay lines = new LineRelay();
    private final AtomicLong hostChanges = new AtomicLong();

    DemoSession(DemoOptions options, Path dir, List<DemoScenario.Plot> plots, List<DemoVm> vms, PrintWriter out,
                PrintWriter err, boolean terminal) {
        this.options = options;
        this.dir = dir;
        this.plots = plots;
        this.vms = vms;
        this.out = out;
        this.err = err;
        this.terminal = terminal;
    }

    int run() {
        Daemon daemon;
        try {
            daemon = daemon();
        } catch (ConfigException | IOException e) {
            err.println("qeventd demo: the demo's own configuration is invalid: " + e.getMessage());
            return DemoRun.FAILURE;
        }
        DemoConsole console = null;
        AutoCloseable pluginLogs = PluginLogCapture.start(lines);
        try {
            List<PluginStatus> plugins = daemon.start();
            header(plugins, daemon.adminSocket());
            long started = System.nanoTime();
            awaitSettled(daemon);
            console = console(daemon, started);
            lines.attach(console);
            console.start();

            List<String> failures = new ScenarioPlayer(options.pace(), lines).play(plots, vms);
            boolean accounted = awaitAccounted(daemon);
            String readCounts = vms.stream()
                    .map(vm -> vm.name() + " " + read(daemon, vm.name()) + " of " + vm.eventsSent())
                    .collect(Collectors.joining(", "));
            StatusReport before = daemon.status();
            boolean drained = daemon.stop(DRAIN);
            console.close();

            Map<String, Long> outcomes = new LinkedHashMap<>();
            daemon.journal().counts().forEach((o, n) -> outcomes.put(o.journalName(), n));
            DemoView.summary(before, outcomes, daemon.counters(), hostChanges.get(), since(started)).forEach(out::println);
            return verdict(failures, accounted ? null : readCounts, drained);
        } catch (AdminSocketException | DemoException e) {
            err.println("qeventd demo: " + e.getMessage());
            return DemoRun.FAILURE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("qeventd demo: interrupted");
            return DemoRun.FAILURE;
        } catch (RuntimeException e) {
            err.println("qeventd demo: " + e);
            return DemoRun.FAILURE;
        } finally {
            if (console != null) {
                console.close();
            }
            daemon.stop(Duration.ZERO);
            closeQuietly(pluginLogs);
        }
    }

    private Daemon daemon() throws ConfigException, IOException {
        QeventdConfig config = ConfigLoader.load(Files.writeString(dir.resolve("qeventd.yaml"),
                DemoConfig.yaml(dir, options, vms)));
        InMemoryHostNetwork devices = new InMemoryHostNetwork();
        for (DemoVm vm : vms) {
            String device = DemoConfig.hostDevice(vm.name());
            devices.addDevice(null, device,
                    new LinkState(device, vm.mac(), false, false, true, List.of(), LinkState.MACVTAP, List.of()));
        }
        DryRunHostNetwork host = new DryRunHostNetwork(devices, change -> {
            hostChanges.incrementAndGet();
            lines.accept(DemoLines.host(change));
        });
        RuntimeMode mode = options.dev().isEmpty() ? RuntimeMode.DEPLOYMENT : RuntimeMode.DEVELOPMENT;
        Daemon daemon = Guice.createInjector(Stage.PRODUCTION, new RuntimeModule(config, host, mode))
                .getInstance(Daemon.class);
        daemon.addedPluginDirectories(options.added());
        daemon.developmentProjects(options.dev());
        daemon.journal().addSink(r -> lines.accept(DemoLines.outcome(r)));
        return daemon;
    }

    private String sources() {
        return String.join(", ", options.pluginSources().stream().map(Path::toString).toList());
    }

    private void header(List<PluginStatus> plugins, Path adminSocket) {
        for (DemoScenario.Plot p : plots) {
            out.printf("  %-7s%s%n", p.vm(), p.about());
        }
        List<PluginStatus> started = plugins.stream().filter(p -> p.error() == null).toList();
        if (started.isEmpty()) {
            out.println("  plugins: none found in " + sources() + ", so every event will be unhandled"
                    + " (another directory: --plugins DIR)");
        } else {
            out.println("  plugins from " + sources() + ":");
            for (PluginStatus p : started) {
                out.println("    " + p.id() + " " + p.version() + ", for " + String.join(", ", p.events()));
            }
        }
        plugins.stream().filter(p -> p.error() != null).forEach(p -> out.println("  plugin not loaded: " + p.error()));
        out.println("  host network: a dry run over an in-memory model of each VM's host device; nothing on this"
                + " machine changes");
        options.journal().ifPresent(j -> out.println("  journal: " + j));
        out.println("  while it runs: qeventd status --socket " + adminSocket);
        out.println();
        out.println("'>' is what an operator or a guest does; 'event' is what QEMU sent and what the daemon did with"
                + " it.");
        out.println();
        out.flush();
    }

    private DemoConsole console(Daemon daemon, long started) {
        boolean live = options.view() == DemoOptions.View.LIVE || options.view() == DemoOptions.View.AUTO && terminal;
        if (live) {
            return new LiveConsole(out, () -> DemoView.liveBlock(daemon.status(), since(started)),
                    Duration.ofMillis(250), LiveConsole.terminalWidth());
        }
        return new PlainConsole(out, () -> DemoView.progress(daemon.status(), since(started)), Duration.ofSeconds(1));
    }

    /**
     * Waits until the daemon has negotiated with every VM (so that it sees every event the scenario causes)
     * and knows each one's run state (so that the query it sends on connect is answered before a VM quits).
     */
    private void awaitSettled(Daemon daemon) {
        long end = System.nanoTime() + CONNECT_DEADLINE.toNanos();
        for (DemoVm vm : vms) {
            while (!connected(daemon, vm.name()) || !runStateKnown(daemon, vm.name())) {
                if (System.nanoTime() > end) {
                    throw new DemoException("the daemon did not connect to " + vm.name() + "'s QMP socket "
                            + vm.daemonSocket() + " within " + CONNECT_DEADLINE.toSeconds() + " s");
                }
                pause();
            }
        }
    }

    private static boolean runStateKnown(Daemon daemon, String domain) {
        return daemon.status().domains().stream()
                .anyMatch(d -> d.name().equals(domain) && !d.runState().equals(RunState.UNKNOWN) && d.queueDepth() == 0);
    }

    private static boolean connected(Daemon daemon, String domain) {
        return daemon.domains().get(domain).map(DomainHandle::monitor).map(MonitorConnection::state)
                .filter(s -> s == MonitorState.RUNNING).isPresent();
    }

    /** Waits until the daemon has read every event each VM sent. */
    private boolean awaitAccounted(Daemon daemon) {
        long end = System.nanoTime() + ACCOUNT_DEADLINE.toNanos();
        while (System.nanoTime() < end) {
            if (vms.stream().allMatch(vm -> read(daemon, vm.name()) >= vm.eventsSent())) {
                return true;
            }
            pause();
        }
        return false;
    }

    private static long read(Daemon daemon, String domain) {
        return daemon.domains().get(domain).map(d -> d.monitor().stats().events()).orElse(0L);
    }

    /** @param unread events read of events sent, per VM, when not all were read; else null */
    private int verdict(List<String> failures, String unread, boolean drained) {
        long sent = vms.stream().mapToLong(DemoVm::eventsSent).sum();
        if (failures.isEmpty() && unread == null && drained) {
            out.println("  every event QEMU sent (" + sent + ") reached the daemon and has an outcome in the journal.");
            out.println();
            out.println("Next: README.md shows how to run the daemon for your own VMs (qeventd run --config FILE),");
            out.println("ask it how it is doing (qeventd status) and where plugins go.");
            out.flush();
            return DemoRun.OK;
        }
        failures.forEach(f -> err.println("qeventd demo: " + f));
        if (unread != null) {
            err.println("qeventd demo: the daemon did not read every event the VMs sent within "
                    + ACCOUNT_DEADLINE.toSeconds() + " s: " + unread);
        }
        if (!drained) {
            err.println("qeventd demo: events were still queued when the daemon stopped");
        }
        err.flush();
        return DemoRun.FAILURE;
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // Only the plugin log capture; the demo is over.
        }
    }

    private static Duration since(long started) {
        return Duration.ofNanos(System.nanoTime() - started);
    }

    private static void pause() {
        try {
            Thread.sleep(20); // the daemon offers nothing to wait on for "connected" or "read N events"
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DemoException("interrupted");
        }
    }
}
