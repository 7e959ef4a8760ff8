package io.qeventd.runtime.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qeventd.testkit.qmp.FakeQmpServer;
import io.qeventd.testkit.qmp.Reply;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A simulated VM: a {@link FakeQmpServer} that sends the events QEMU 7.2 sends, in its order and with its
 * data, and answers {@code query-status}, {@code query-rx-filter}, {@code query-migrate} and
 * {@code migrate-set-capabilities} from a small model of the VM.
 * Nothing is run: the events are what a real QEMU was observed to send for the same operations.
 */
final class FakeDemoVm implements DemoVm {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final long DISK_BYTES = 10L * 1024 * 1024 * 1024;
    private static final long RAM_BYTES = 1024L * 1024 * 1024;

    private final String name;
    private final String mac;
    private final FakeQmpServer server;
    private final FakeNic nic;
    private final AtomicLong sent = new AtomicLong();
    private volatile String status = "prelaunch";
    /** The mirror job's status; null while QEMU holds no job. */
    private volatile String mirrorStatus;
    /** The migration's status and RAM bytes still to send; null before the first migration. */
    private volatile String migrationStatus;
    private volatile long migrationRemaining;

    FakeDemoVm(String name, String mac, Path socket) {
        this.name = name;
        this.mac = mac;
        this.nic = new FakeNic("net0", mac);
        try {
            this.server = FakeQmpServer.builder().startPaused().start(socket);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the simulated QMP socket " + socket, e);
        }
        server.respond("query-status", args -> Reply.ok(JSON.objectNode().put("status", status)
                .put("singlestep", false).put("running", "running".equals(status))));
        server.respond("query-rx-filter", this::queryRxFilter);
        server.respond("query-jobs", args -> Reply.ok(queryJobs()));
        server.respond("query-migrate", args -> Reply.ok(queryMigrate()));
        server.respond("migrate-set-capabilities", args -> Reply.ok());
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Path daemonSocket() {
        return server.socket();
    }

    @Override
    public String mac() {
        return mac;
    }

    @Override
    public long eventsSent() {
        return sent.get();
    }

    @Override
    public void cont() {
        status = "running";
        emit("RESUME", null);
    }

    @Override
    public void stop() {
        status = "paused";
        emit("STOP", null);
    }

    @Override
    public void systemReset() {
        emit("RESET", reason(false, "host-qmp-system-reset"));
    }

    @Override
    public void systemPowerdown() {
        emit("POWERDOWN", null);
    }

    @Override
    public void shutDown() {
        status = "shutdown";
        emit("SHUTDOWN", reason(true, "guest-shutdown"));
    }

    @Override
    public String shutDownStory() {
        return "the guest OS answers the power-down request and powers off";
    }

    @Override
    public void quit() {
        // A real QEMU exits here and its monitors close; the simulation stays up, like QEMU with -no-shutdown.
        status = "shutdown";
        emit("SHUTDOWN", reason(false, "host-qmp-quit"));
    }

    @Override
    public void unplugUsbTablet() {
        emit("DEVICE_DELETED", JSON.objectNode().put("device", "tablet0").put("path", "/machine/peripheral/tablet0"));
    }

    @Override
    public void startDiskMirror() {
        jobStatus("created");
        jobStatus("running");
        jobStatus("ready");
        emit("BLOCK_JOB_READY", blockJob());
    }

    @Override
    public void completeDiskMirror() {
        jobStatus("waiting");
        jobStatus("pending");
        emit("BLOCK_JOB_COMPLETED", blockJob());
        jobStatus("concluded");
        jobStatus("null");
    }

    @Override
    public void migrate() {
        migration("setup");
        emit("MIGRATION_PASS", JSON.objectNode().put("pass", 1));
        migration("active");
        // The last pass copies what the guest dirtied meanwhile, with the VM stopped.
        status = "postmigrate";
        emit("STOP", null);
        emit("MIGRATION_PASS", JSON.objectNode().put("pass", 2));
        migration("completed");
    }

    @Override
    public String guestChangesRxFilter(RxFilterChange change) {
        if (nic.apply(change)) {
            emit("NIC_RX_FILTER_CHANGED", nic.eventData());
            return null;
        }
        return "QEMU stays silent: nobody has read net0's filter (query-rx-filter) since its last event";
    }

    private Reply queryRxFilter(JsonNode args) {
        JsonNode wanted = args.get("name");
        if (wanted != null && !nic.name().equals(wanted.asText())) {
            return Reply.error("GenericError", "invalid net client name: " + wanted.asText());
        }
        ArrayNode list = JSON.arrayNode();
        list.add(nic.query());
        return Reply.ok(list);
    }

    private void jobStatus(String s) {
        mirrorStatus = "null".equals(s) ? null : s;
        emit("JOB_STATUS_CHANGE", JSON.objectNode().put("status", s).put("id", "mirror0"));
    }

    /** The mirror job while QEMU holds it, as {@code query-jobs} lists it. */
    private ArrayNode queryJobs() {
        ArrayNode jobs = JSON.arrayNode();
        String s = mirrorStatus;
        if (s != null) {
            jobs.addObject().put("id", "mirror0").put("type", "mirror").put("status", s)
                    .put("current-progress", DISK_BYTES).put("total-progress", DISK_BYTES);
        }
        return jobs;
    }

    private ObjectNode blockJob() {
        return JSON.objectNode().put("device", "mirror0").put("len", DISK_BYTES).put("offset", DISK_BYTES)
                .put("speed", 0).put("type", "mirror");
    }

    private void migration(String s) {
        migrationStatus = s;
        migrationRemaining = switch (s) {
            case "setup" -> RAM_BYTES;
            case "active" -> RAM_BYTES / 8;
            default -> 0;
        };
        emit("MIGRATION", JSON.objectNode().put("status", s));
    }

    private ObjectNode queryMigrate() {
        ObjectNode reply = JSON.objectNode();
        String s = migrationStatus;
        if (s != null) {
            reply.put("status", s);
            long remaining = migrationRemaining;
            reply.putObject("ram").put("transferred", RAM_BYTES - remaining).put("remaining", remaining)
                    .put("total", RAM_BYTES).put("dirty-pages-rate", remaining == 0 ? 0 : 1200)
                    .put("dirty-sync-count", 1);
        }
        return reply;
    }

    private static ObjectNode reason(boolean guest, String reason) {
        return JSON.objectNode().put("guest", guest).put("reason", reason);
    }

    private void emit(String event, Object data) {
        if (server.emit(event, data)) {
            sent.incrementAndGet();
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
