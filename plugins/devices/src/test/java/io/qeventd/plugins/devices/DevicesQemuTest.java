package io.qeventd.plugins.devices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qeventd.api.QmpErrorException;
import io.qeventd.events.DeviceDeleted;
import io.qeventd.testkit.vm.Qemu;
import io.qeventd.testkit.vm.QemuRawQmp;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A real QEMU without a guest: a USB tablet on an xHCI bus goes at once, a CD tray opens and closes. */
class DevicesQemuTest {
    private Qemu qemu;
    private DevicesPipeline daemon;
    private QemuRawQmp test;

    private void start(String removeOnResume) throws Exception {
        qemu = Qemu.builder().paused().qmpSocket("daemon").qmpSocket("test")
                .args("-device", "qemu-xhci,id=xhci", "-device", "ide-cd,id=cd0,bus=ide.0").start();
        daemon = new DevicesPipeline(Map.of(), removeOnResume, Duration.ofSeconds(20));
        daemon.attach(qemu.qmpSocket("daemon"));
        test = QemuRawQmp.connect(qemu.qmpSocket("test"), DevicesPipeline.DEADLINE);
        assertThat(test.executeJson("{\"execute\": \"device_add\", \"arguments\": {\"driver\": \"usb-tablet\","
                + " \"id\": \"tablet0\", \"bus\": \"xhci.0\"}}").has("return")).isTrue();
    }

    @AfterEach
    void stop() throws Exception {
        test.close();
        daemon.close();
        qemu.close();
    }

    @Test
    void aDeviceQemuDeletesIsRecordedForTheDomain() throws Exception {
        start("none");
        test.executeJson("{\"execute\": \"device_del\", \"arguments\": {\"id\": \"tablet0\"}}");

        assertThat(daemon.processed("DEVICE_DELETED").actions())
                .containsExactly("device tablet0 deleted (/machine/peripheral/tablet0)");
        assertThat(daemon.awaitDevices("tablet0 deleted", d -> !d.deleted().isEmpty()).deleted())
                .containsExactly("tablet0");
    }

    @Test
    void anotherPluginDeletesADeviceAndHearsWhenQemuConfirms() throws Exception {
        start("tablet0");
        test.execute("cont");

        DeviceDeleted deleted = daemon.awaitRemoval().get(20, TimeUnit.SECONDS);
        assertThat(deleted).isEqualTo(new DeviceDeleted("tablet0", "/machine/peripheral/tablet0"));
        assertThat(daemon.processed("DEVICE_DELETED").actions())
                .containsExactly("device tablet0 deleted (/machine/peripheral/tablet0), waiter notified");
        assertThat(daemon.awaitDevices("nothing pending", d -> d.pending().isEmpty() && !d.deleted().isEmpty()))
                .satisfies(d -> assertThat(d.deleted()).containsExactly("tablet0"));
    }

    @Test
    void deletingADeviceQemuDoesNotKnowFailsWithQemusError() throws Exception {
        start("no-such-device");
        test.execute("cont");

        assertThatThrownBy(() -> daemon.awaitRemoval().get(20, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(QmpErrorException.class)
                .hasMessageContaining("DeviceNotFound");
    }

    @Test
    void aCdTrayOpenedAndClosedIsFollowed() throws Exception {
        start("none");
        test.executeJson("{\"execute\": \"blockdev-open-tray\", \"arguments\": {\"id\": \"cd0\"}}");
        assertThat(daemon.awaitDevices("tray open", d -> d.trays().containsKey("cd0")).trays()).containsEntry("cd0", true);
        test.executeJson("{\"execute\": \"blockdev-close-tray\", \"arguments\": {\"id\": \"cd0\"}}");
        daemon.awaitDevices("tray closed", d -> Boolean.FALSE.equals(d.trays().get("cd0")));
        assertThat(daemon.pipeline.journal().records(r -> "DEVICE_TRAY_MOVED".equals(r.event())))
                .extracting(r -> r.actions().get(0)).containsExactly("tray of cd0 open", "tray of cd0 closed");
    }
}
