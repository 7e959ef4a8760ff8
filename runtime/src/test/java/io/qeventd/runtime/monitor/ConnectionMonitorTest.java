package io.qeventd.runtime.monitor;

import static io.qeventd.runtime.monitor.MonitorHarness.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.qeventd.api.CommandTimeoutException;
import io.qeventd.api.Monitor;
import io.qeventd.api.MonitorClosedException;
import io.qeventd.api.QmpErrorException;
import io.qeventd.api.QmpException;
import io.qeventd.testkit.qmp.FakeQmpServer;
import io.qeventd.testkit.qmp.Reply;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The api's blocking Monitor: replies decoded to the caller's types, failures as the api's exceptions. */
class ConnectionMonitorTest {

    record Status(String status, boolean running, boolean singlestep) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record RxFilter(String name, boolean promiscuous, @JsonProperty("main-mac") String mainMac,
                    @JsonProperty("vlan-table") List<Integer> vlanTable,
                    @JsonProperty("multicast-table") List<String> multicastTable) {
    }

    @TempDir
    Path dir;

    private MonitorHarness h;
    private FakeQmpServer server;
    private MonitorConnection conn;
    private Monitor monitor;

    @BeforeEach
    void start() throws Exception {
        h = new MonitorHarness(dir);
        server = h.server("vm");
        conn = h.connect(server, options(), new RecordingListener());
        monitor = new ConnectionMonitor(conn, MonitorHarness.JSON);
    }

    @AfterEach
    void stop() {
        h.close();
    }

    @Test
    void executeDecodesTheReturnValueToARecord() {
        Status status = monitor.execute("query-status", null, Status.class);

        assertThat(status).isEqualTo(new Status("running", true, false));
    }

    @Test
    void executeDecodesALargeReplyToRecordsWithQemuFieldNames() {
        server.respond("query-rx-filter", args ->
                Reply.ok(List.of(MonitorMessageSizeTest.rxFilter(args.path("name").asText()))));

        RxFilter[] filters = monitor.execute("query-rx-filter", Map.of("name", "net0"), RxFilter[].class);

        assertThat(filters).singleElement().satisfies(f -> {
            assertThat(f.name()).isEqualTo("net0");
            assertThat(f.promiscuous()).isTrue();
            assertThat(f.mainMac()).isEqualTo("52:54:00:12:34:56");
            assertThat(f.vlanTable()).hasSize(4096).startsWith(0, 1, 2).endsWith(4094, 4095);
            assertThat(f.multicastTable()).containsExactly("01:00:5e:00:00:01", "33:33:00:00:00:01");
        });
    }

    @Test
    void executeWithoutATypeGivesMapsListsAndScalars() {
        server.respond("echo", args -> Reply.ok(Map.of("got", args, "list", List.of(1, "two"))));

        Object status = monitor.execute("query-status");
        Object echoed = monitor.execute("echo", Map.of("name", "net0"));

        assertThat(status).isEqualTo(Map.of("status", "running", "singlestep", false, "running", true));
        assertThat(echoed).isEqualTo(Map.of("got", Map.of("name", "net0"), "list", List.of(1, "two")));
    }

    @Test
    void executeForVoidIgnoresTheValueAndAStringReturnDecodes() {
        server.respond("human-monitor-command", args -> Reply.ok("QEMU emulator version 7.2.0\r\n"));

        assertThat(monitor.execute("stop", null, Void.class)).isNull();
        assertThat(monitor.execute("human-monitor-command", Map.of("command-line", "info version"), String.class))
                .isEqualTo("QEMU emulator version 7.2.0\r\n");
        assertThat(server.received()).extracting(r -> r.command()).contains("stop");
    }

    @Test
    void failuresSurfaceAsTheApisExceptionsUnwrapped() {
        server.respond("device_del", args -> Reply.error("DeviceNotFound", "Device 'nic9' not found"));
        server.respond("hang", args -> Reply.none());

        assertThatThrownBy(() -> monitor.execute("device_del", Map.of("id", "nic9"), Void.class))
                .isInstanceOfSatisfying(QmpErrorException.class, e -> {
                    assertThat(e.errorClass()).isEqualTo("DeviceNotFound");
                    assertThat(e.description()).isEqualTo("Device 'nic9' not found");
                });
        assertThatThrownBy(() -> monitor.execute("hang", null, Void.class, Duration.ofMillis(100)))
                .isInstanceOf(CommandTimeoutException.class)
                .hasMessage("hang: no reply within 100 ms");
        assertThatThrownBy(() -> monitor.execute("query-status", null, List.class))
                .isInstanceOf(QmpException.class)
                .hasMessageContaining("cannot read the reply of query-status as List");
    }

    @Test
    void aClosedMonitorFailsWithMonitorClosedException() {
        conn.close();

        assertThatThrownBy(() -> monitor.execute("query-status"))
                .isInstanceOf(MonitorClosedException.class)
                .hasMessageContaining("not connected");
    }
}
