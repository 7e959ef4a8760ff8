package io.qeventd.plugins.devices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qeventd.testkit.qmp.FakeQmpServer;
import io.qeventd.testkit.qmp.Reply;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What needs a guest driver or firmware the test guest lacks (a guest refusing a PCI unplug, ACPI _OST of a
 * DIMM), and a removal nobody confirms: QMP lines as QEMU 7.2 sends them, from the fake QMP server.
 */
class DevicesRecordedTest {
    @TempDir
    Path tmp;

    private FakeQmpServer qemu;
    private DevicesPipeline daemon;

    private void start(Duration timeout) throws Exception {
        qemu = FakeQmpServer.start(tmp.resolve("vm1.qmp"));
        qemu.respond("device_del", a -> Reply.ok());
        daemon = new DevicesPipeline(Map.of(), "net1", timeout);
        daemon.attach(qemu.socket());
        qemu.awaitClient(DevicesPipeline.DEADLINE);
    }

    @AfterEach
    void stop() {
        daemon.close();
        qemu.close();
    }

    @Test
    void aRemovalTheGuestRefusesFailsWithTheDevice() throws Exception {
        start(Duration.ofSeconds(20));
        qemu.emit("RESUME", Map.of());
        qemu.awaitCommand("device_del", DevicesPipeline.DEADLINE);
        qemu.emit("DEVICE_UNPLUG_GUEST_ERROR", Map.of("device", "net1", "path", "/machine/peripheral/net1"));

        assertThatThrownBy(() -> daemon.awaitRemoval().get(20, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(DeviceUnplugException.class)
                .hasMessage("domain 'vm1': the guest refused to release device net1 (/machine/peripheral/net1)");
        assertThat(daemon.processed("DEVICE_UNPLUG_GUEST_ERROR").actions())
                .containsExactly("guest refused to release device net1, waiter failed");
        assertThat(daemon.awaitDevices("refusal recorded", d -> !d.unplugErrors().isEmpty()).unplugErrors())
                .containsExactly("net1");
    }

    @Test
    void aRemovalNobodyConfirmsTimesOut() throws Exception {
        start(Duration.ofMillis(300));
        qemu.emit("RESUME", Map.of());

        assertThatThrownBy(() -> daemon.awaitRemoval().get(20, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(DeviceRemovalTimeoutException.class)
                .hasMessageStartingWith("domain 'vm1': device net1 not deleted within 300 ms");
        daemon.awaitDevices("nothing pending after the timeout", d -> d.pending().isEmpty());
    }

    @Test
    void anAcpiOstReportIsRecorded() throws Exception {
        start(Duration.ofSeconds(20));
        qemu.emit("ACPI_DEVICE_OST", Map.of("info", Map.of("device", "dimm1", "slot", "1", "slot-type", "DIMM",
                "source", 3, "status", 0)));

        assertThat(daemon.processed("ACPI_DEVICE_OST").actions())
                .containsExactly("ACPI _OST DIMM 1 (dimm1): source 3, status 0");
        assertThat(daemon.awaitDevices("ost recorded", d -> d.lastOst() != null).lastOst())
                .isEqualTo("DIMM 1 (dimm1): source 3, status 0");
    }
}
