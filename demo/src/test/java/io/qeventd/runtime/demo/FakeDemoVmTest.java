package io.qeventd.runtime.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qeventd.api.QmpErrorException;
import io.qeventd.runtime.monitor.MonitorConnection;
import io.qeventd.runtime.monitor.MonitorListener;
import io.qeventd.runtime.monitor.MonitorOptions;
import io.qeventd.runtime.monitor.MonitorReactor;
import io.qeventd.runtime.qmp.QmpMessage;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simulated VM as a QMP client sees it: QEMU 7.2's events, data and replies. */
class FakeDemoVmTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    private final LinkedBlockingQueue<QmpMessage.Event> events = new LinkedBlockingQueue<>();
    private MonitorReactor reactor;
    private FakeDemoVm vm;
    private MonitorConnection client;

    @BeforeEach
    void connect() throws Exception {
        vm = new FakeDemoVm("web-1", "52:54:00:12:34:56", dir.resolve("web-1.qmp"));
        reactor = new MonitorReactor(1, JSON);
        client = reactor.open("web-1", UnixDomainSocketAddress.of(vm.daemonSocket()),
                MonitorOptions.defaults().withReconnect(false), new MonitorListener() {
                    @Override
                    public void event(MonitorConnection m, QmpMessage.Event e, long nanos, Instant at) {
                        events.add(e);
                    }
                });
        client.firstConnect().get(5, TimeUnit.SECONDS);
    }

    @AfterEach
    void close() {
        client.close();
        reactor.close();
        vm.close();
    }

    @Test
    void queryRxFilterAnswersInQemusShapeAndFollowsTheGuest() throws Exception {
        JsonNode before = execute("query-rx-filter", Map.of("name", "net0")).get(0);
        assertThat(fieldNames(before)).containsExactlyInAnyOrder("name", "promiscuous", "multicast", "unicast", "vlan",
                "broadcast-allowed", "multicast-overflow", "unicast-overflow", "main-mac", "vlan-table",
                "unicast-table", "multicast-table");
        // Before a guest driver sets a mode, QEMU's NIC is promiscuous and lists all 4096 VLANs.
        assertThat(before.get("promiscuous").asBoolean()).isTrue();
        assertThat(before.get("vlan").asText()).isEqualTo("all");
        assertThat(before.get("vlan-table")).hasSize(4096);
        assertThat(before.get("main-mac").asText()).isEqualTo("52:54:00:12:34:56");

        vm.guestChangesRxFilter(RxFilterChange.DRIVER_LOADED);
        execute("query-rx-filter", null);
        vm.guestChangesRxFilter(RxFilterChange.MULTICAST_JOINED);
        execute("query-rx-filter", null);
        vm.guestChangesRxFilter(RxFilterChange.MAC_CHANGED);

        JsonNode after = execute("query-rx-filter", Map.of("name", "net0")).get(0);
        assertThat(after.get("promiscuous").asBoolean()).isFalse();
        assertThat(after.get("broadcast-allowed").asBoolean()).isTrue();
        assertThat(after.get("main-mac").asText()).isEqualTo(RxFilterChange.NEW_MAC);
        assertThat(after.get("multicast-table").toString()).contains("01:00:5e:00:00:fb");
        assertThat(names(3)).containsExactly("NIC_RX_FILTER_CHANGED", "NIC_RX_FILTER_CHANGED", "NIC_RX_FILTER_CHANGED");
    }

    @Test
    void nicRxFilterChangedStaysSilentUntilTheFilterIsRead() throws Exception {
        assertThat(vm.guestChangesRxFilter(RxFilterChange.DRIVER_LOADED)).isNull();
        assertThat(vm.guestChangesRxFilter(RxFilterChange.MULTICAST_JOINED)).contains("QEMU stays silent");
        assertThat(vm.guestChangesRxFilter(RxFilterChange.MAC_CHANGED)).contains("QEMU stays silent");
        QmpMessage.Event first = events.poll(5, TimeUnit.SECONDS);
        assertThat(first.name()).isEqualTo("NIC_RX_FILTER_CHANGED");
        assertThat(JSON.readTree(first.data()))
                .isEqualTo(JSON.readTree("{\"name\": \"net0\", \"path\": \"/machine/peripheral/net0/virtio-backend\"}"));

        execute("query-rx-filter", Map.of("name", "net0"));

        assertThat(vm.guestChangesRxFilter(RxFilterChange.PROMISCUOUS_ON)).isNull();
        assertThat(names(1)).containsExactly("NIC_RX_FILTER_CHANGED");
        assertThat(vm.eventsSent()).isEqualTo(2);
    }

    @Test
    void anUnknownNicIsAnErrorAsInQemu() {
        assertThatThrownBy(() -> execute("query-rx-filter", Map.of("name", "net9")))
                .isInstanceOf(QmpErrorException.class).hasMessageContaining("invalid net client name: net9");
    }

    @Test
    void blockJobAndMigrationEventsComeInQemusOrderWithItsData() throws Exception {
        vm.startDiskMirror();
        vm.completeDiskMirror();
        vm.migrate();

        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            QmpMessage.Event e = events.poll(5, TimeUnit.SECONDS);
            JsonNode data = e.data() == null ? null : JSON.readTree(e.data());
            seen.add(e.name() + (data == null ? "" : " " + data.path("status").asText(data.path("pass").asText(""))));
        }
        assertThat(seen).containsExactly(
                "JOB_STATUS_CHANGE created", "JOB_STATUS_CHANGE running", "JOB_STATUS_CHANGE ready",
                "BLOCK_JOB_READY ", "JOB_STATUS_CHANGE waiting", "JOB_STATUS_CHANGE pending",
                "BLOCK_JOB_COMPLETED ", "JOB_STATUS_CHANGE concluded", "JOB_STATUS_CHANGE null",
                "MIGRATION setup", "MIGRATION_PASS 1", "MIGRATION active", "STOP", "MIGRATION_PASS 2",
                "MIGRATION completed");
        assertThat(vm.eventsSent()).isEqualTo(15);
    }

    @Test
    void queryStatusFollowsTheStory() throws Exception {
        assertThat(execute("query-status", null).get("status").asText()).isEqualTo("prelaunch");
        vm.cont();
        assertThat(execute("query-status", null).get("running").asBoolean()).isTrue();
        vm.migrate();
        assertThat(execute("query-status", null).get("status").asText()).isEqualTo("postmigrate");
        vm.quit();
        assertThat(execute("query-status", null).get("status").asText()).isEqualTo("shutdown");
    }

    private JsonNode execute(String command, Object args) throws Exception {
        try {
            return JSON.readTree(client.send(command, args, WAIT).get().value());
        } catch (ExecutionException e) {
            throw (Exception) e.getCause();
        }
    }

    private List<String> names(int n) throws InterruptedException {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            QmpMessage.Event e = events.poll(5, TimeUnit.SECONDS);
            out.add(e == null ? "(none)" : e.name());
        }
        return out;
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
