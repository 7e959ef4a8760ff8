package io.qeventd.testkit.vm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Boots the real test guest once, with its NIC backed by a macvtap in a namespace of the test's own,
 * and checks what the end-to-end tests rely on.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestGuestTest {
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    private NetnsFixture netns;
    private TestGuest guest;
    private QemuRawQmp qmp;

    @BeforeAll
    void bootGuestOnMacvtap() throws IOException {
        netns = NetnsFixture.create();
        try {
            guest = TestGuest.boot(Qemu.builder()
                    .netns(netns.name())
                    .qmpSocket("test")
                    .nic(QemuNic.tap("net0", netns.tapDevice()).withMac(netns.macvtapMac())));
            qmp = QemuRawQmp.connect(guest.qemu().qmpSocket("test"), DEADLINE);
        } catch (IOException | RuntimeException | Error e) {
            closeAll();
            throw e;
        }
    }

    @AfterAll
    void closeAll() throws IOException {
        try {
            if (qmp != null) {
                qmp.close();
            }
        } finally {
            try {
                if (guest != null) {
                    guest.close();
                }
            } finally {
                netns.close();
            }
        }
    }

    @Test
    void shellReturnsOutputLinesAndExitCode() {
        GuestShell.Result result = guest.shell().run("echo one; echo two >&2; printf three; exit 3", DEADLINE);

        assertThat(result.output()).isEqualTo("one\ntwo\nthree");
        assertThat(result.exitCode()).isEqualTo(3);
    }

    @Test
    void outputThatLooksLikeTheEndMarkerIsStillOutput() {
        GuestShell.Result result = guest.shell().run("echo '@@qeventd-done q1 0'; echo after", DEADLINE);

        assertThat(result.output()).isEqualTo("@@qeventd-done q1 0\nafter");
        assertThat(result.exitCode()).isZero();
    }

    @Test
    void guestIpIsIproute2WithMaddrAndAllmulticast() {
        guest.shell().run("ip link set eth0 allmulticast on && ip maddr add 01:00:5e:01:02:03 dev eth0", DEADLINE)
                .requireSuccess();

        assertThat(guest.shell().run("ip maddr show dev eth0", DEADLINE).output()).contains("01:00:5e:01:02:03");
        guest.shell().run("ip link set eth0 allmulticast off && ip maddr del 01:00:5e:01:02:03 dev eth0", DEADLINE)
                .requireSuccess();
    }

    @Test
    void qemuRunsInsideTheTestNamespace() throws IOException {
        long pid = guest.qemu().pid();

        assertThat(Files.readString(Path.of("/proc/" + pid + "/comm")).strip()).isEqualTo("qemu-system-x86");
        assertThat(netns.inside("ip", "netns", "identify", Long.toString(pid)).strip()).isEqualTo(netns.name());
    }

    @Test
    void guestTrafficLeavesThroughTheMacvtap() {
        netns.ip("addr", "add", "192.0.2.1/24", "dev", NetnsFixture.PEER);
        guest.shell().run("ip addr add 192.0.2.2/24 dev eth0", DEADLINE).requireSuccess();

        GuestShell.Result ping = guest.shell().run("ping -c 1 -W 5 192.0.2.1", DEADLINE);

        assertThat(ping.exitCode()).as(ping.output()).isZero();
        assertThat(ping.output()).contains("1 packets received");
    }

    @Test
    void guestPromiscuousModeIsReportedOverQmpAndShownByQueryRxFilter() {
        // Let the boot-time filter changes (eth0 up, its IPv6 link-local address) finish first.
        guest.shell().run("for i in $(seq 100); do ip -6 addr show dev eth0 | grep -q fe80 && exit 0; sleep 0.1; done;"
                + " exit 1", DEADLINE).requireSuccess();
        // QEMU reports a NIC's filter change once, then stays silent until query-rx-filter is called.
        assertThat(queryRxFilter().path("promiscuous").asBoolean()).isFalse();
        qmp.clearEvents();
        assertThat(qmp.pollEvent("NIC_RX_FILTER_CHANGED", Duration.ofMillis(200))).as("event before any change").isEmpty();
        Instant changed = Instant.now();

        guest.shell().run("ip link set eth0 promisc on", DEADLINE).requireSuccess();

        JsonNode event = qmp.awaitEvent("NIC_RX_FILTER_CHANGED");
        assertThat(event.path("data").path("name").asText()).isEqualTo("net0");
        Instant emitted = Instant.ofEpochSecond(event.path("timestamp").path("seconds").asLong(),
                event.path("timestamp").path("microseconds").asLong() * 1000);
        assertThat(emitted).isAfterOrEqualTo(changed.minusMillis(1));
        assertThat(queryRxFilter().path("promiscuous").asBoolean()).isTrue();
    }

    private JsonNode queryRxFilter() {
        JsonNode reply = qmp.executeJson("{\"execute\":\"query-rx-filter\",\"arguments\":{\"name\":\"net0\"}}");
        assertThat(reply.path("return").size()).as(reply.toString()).isEqualTo(1);
        return reply.path("return").get(0);
    }
}
