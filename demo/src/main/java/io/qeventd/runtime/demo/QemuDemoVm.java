package io.qeventd.runtime.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qeventd.api.QmpErrorException;
import io.qeventd.runtime.monitor.MonitorConnection;
import io.qeventd.runtime.monitor.MonitorListener;
import io.qeventd.runtime.monitor.MonitorOptions;
import io.qeventd.runtime.monitor.MonitorReactor;
import io.qeventd.runtime.qmp.QmpMessage;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A real QEMU without a guest, driven through its second QMP socket with qeventd's own monitor client:
 * commands are sent from the scenario's thread, and the driver's reader only queues the events it sees,
 * which the scenario thread then waits on.
 */
final class QemuDemoVm implements DemoVm {
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration EVENT_TIMEOUT = Duration.ofSeconds(60);

    private final String name;
    private final String mac;
    private final Path dir;
    private final Path daemonSocket;
    private final Process process;
    private final MonitorConnection driver;
    private final ObjectMapper mapper = new ObjectMapper();
    private final LinkedBlockingQueue<QmpMessage.Event> events = new LinkedBlockingQueue<>();
    private final AtomicLong seen = new AtomicLong();
    private final AtomicBoolean explainedNoGuest = new AtomicBoolean();

    /**
     * Starts QEMU in {@code dir} and connects the driver.
     *
     * @param reactor the demo's own monitor reactor, for the driver connections
     */
    QemuDemoVm(String name, String mac, Path dir, MonitorReactor reactor) {
        this.name = name;
        this.mac = mac;
        this.dir = dir;
        this.daemonSocket = dir.resolve(name + ".qmp");
        Path driverSocket = dir.resolve(name + "-driver.qmp");
        QemuLaunch.createImage(dir.resolve(name + "-disk.qcow2"), "64M");
        QemuLaunch.createImage(dir.resolve(name + "-mirror.qcow2"), "64M");
        this.process = QemuLaunch.start(QemuLaunch.commandLine(name, mac, daemonSocket, driverSocket),
                dir.resolve(name + "-qemu.log"), daemonSocket, driverSocket);
        MonitorOptions options = MonitorOptions.defaults().withReconnect(false).withCommandTimeout(COMMAND_TIMEOUT);
        this.driver = reactor.open(name + "-driver", UnixDomainSocketAddress.of(driverSocket), options,
                new MonitorListener() {
                    @Override
                    public void event(MonitorConnection m, QmpMessage.Event e, long nanos, Instant at) {
                        seen.incrementAndGet();
                        events.add(e);
                    }
                });
        try {
            driver.firstConnect().get(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            close();
            throw new DemoException(name + ": cannot connect to QEMU's QMP socket " + driverSocket + ": " + e, e);
        } catch (InterruptedException e) {
            close();
            Thread.currentThread().interrupt();
            throw new DemoException(name + ": interrupted while connecting to QEMU", e);
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Path daemonSocket() {
        return daemonSocket;
    }

    @Override
    public String mac() {
        return mac;
    }

    @Override
    public long eventsSent() {
        return seen.get();
    }

    @Override
    public void cont() {
        execute("cont", null);
        await("RESUME", d -> true);
    }

    @Override
    public void stop() {
        execute("stop", null);
        await("STOP", d -> true);
    }

    @Override
    public void systemReset() {
        execute("system_reset", null);
        await("RESET", d -> true);
    }

    @Override
    public void systemPowerdown() {
        execute("system_powerdown", null);
        await("POWERDOWN", d -> true);
    }

    @Override
    public void shutDown() {
        quit();
    }

    @Override
    public String shutDownStory() {
        return "no guest OS answers the power-down request here, so the operator ends QEMU (quit)";
    }

    @Override
    public void unplugUsbTablet() {
        execute("device_add", Map.of("driver", "usb-tablet", "id", "tablet0", "bus", "xhci.0"));
        execute("device_del", Map.of("id", "tablet0"));
        await("DEVICE_DELETED", d -> "tablet0".equals(d.path("device").asText()));
    }

    @Override
    public void startDiskMirror() {
        execute("blockdev-add", image("disk0", name + "-disk.qcow2"));
        execute("blockdev-add", image("mirror0-target", name + "-mirror.qcow2"));
        execute("blockdev-mirror", Map.of("job-id", "mirror0", "device", "disk0", "target", "mirror0-target",
                "sync", "full"));
        await("BLOCK_JOB_READY", d -> "mirror0".equals(d.path("device").asText()));
    }

    @Override
    public void completeDiskMirror() {
        execute("block-job-complete", Map.of("device", "mirror0"));
        await("JOB_STATUS_CHANGE", d -> "null".equals(d.path("status").asText()));
    }

    @Override
    public void migrate() {
        execute("migrate-set-capabilities", Map.of("capabilities", List.of(Map.of("capability", "events",
                "state", true))));
        execute("migrate", Map.of("uri", "exec:cat > " + dir.resolve(name + "-migration.bin")));
        JsonNode end = await("MIGRATION", d -> List.of("completed", "failed", "cancelled")
                .contains(d.path("status").asText()));
        if (!"completed".equals(end.path("status").asText())) {
            throw new DemoException(name + ": migration ended " + end.path("status").asText());
        }
    }

    @Override
    public String guestChangesRxFilter(RxFilterChange change) {
        return explainedNoGuest.getAndSet(true) ? "skipped (no guest)"
                : "skipped: QEMU reports filter changes only when a guest driver makes them, and this QEMU runs"
                        + " no guest";
    }

    @Override
    public void quit() {
        execute("quit", null);
        try {
            // After quit QEMU closes its monitors; every event it sent has been read by then.
            driver.closed().get(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            process.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DemoException(name + ": interrupted while QEMU quit", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new DemoException(name + ": QEMU did not close its monitor after quit", e);
        }
    }

    /** A qcow2 image in the VM's directory as a block node. */
    private Map<String, Object> image(String node, String file) {
        return Map.of("driver", "qcow2", "node-name", node,
                "file", Map.of("driver", "file", "filename", dir.resolve(file).toString()));
    }

    private void execute(String command, Object arguments) {
        try {
            driver.send(command, arguments, COMMAND_TIMEOUT).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DemoException(name + ": interrupted during " + command, e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            String why = c instanceof QmpErrorException q ? q.errorClass() + ": " + q.description() : c.toString();
            throw new DemoException(name + ": QEMU refused " + command + ": " + why, c);
        }
    }

    /** Waits for the next event {@code event} whose data matches; earlier other events are passed over. */
    private JsonNode await(String event, Predicate<JsonNode> matches) {
        long end = System.nanoTime() + EVENT_TIMEOUT.toNanos();
        try {
            while (true) {
                long left = end - System.nanoTime();
                QmpMessage.Event e = left <= 0 ? null : events.poll(left, TimeUnit.NANOSECONDS);
                if (e == null) {
                    throw new DemoException(name + ": no " + event + " from QEMU within " + EVENT_TIMEOUT.toSeconds()
                            + " s");
                }
                if (e.name().equals(event)) {
                    JsonNode data = e.data() == null ? mapper.createObjectNode() : mapper.readTree(e.data());
                    if (matches.test(data)) {
                        return data;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DemoException(name + ": interrupted while waiting for " + event, e);
        } catch (IOException e) {
            throw new DemoException(name + ": unreadable " + event + " data: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        driver.close();
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
