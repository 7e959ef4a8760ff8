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
 * data, and answers {@code query-status} and {@code query-rx-filter} from a small model of the VM.
 * Nothing is run: the events are what a real QEMU was observed to send for the same operations.
 */
final class FakeDemoVm implements DemoVm {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final long DISK_BYTES = 10L * 1024 * 1024 * 1024;

    private final String name;
    private final String mac;
    private final FakeQmpServer server;
    private final FakeNic nic;
    private final AtomicLong sent = new AtomicLong();
    private volatile String status = "prelaunch";

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
        emit("JOB_STATUS_CHANGE", JSON.objectNode().put("status", s).put("id", "mirror0"));
    }

    private ObjectNode blockJob() {
        return JSON.objectNode().put("device", "mirror0").put("len", DISK_BYTES).put("offset", DISK_BYTES)
                .put("speed", 0).put("type", "mirror");
    }

    private void migration(String s) {
        emit("MIGRATION", JSON.objectNode().put("status", s));
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
