package io.qeventd.plugins.nic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.qeventd.api.LinkState;
import io.qeventd.runtime.host.IpRoute2HostNetwork;
import io.qeventd.testkit.vm.JournalLines;
import io.qeventd.testkit.TestDaemon;
import io.qeventd.testkit.vm.Eventually;
import io.qeventd.testkit.vm.NetnsFixture;
import io.qeventd.testkit.vm.Qemu;
import io.qeventd.testkit.vm.QemuNic;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host side of the sync on real devices, with the packaged jar and a real QEMU (paused: a NIC answers
 * query-rx-filter before any guest driver runs): a macvtap with IPv6 on, so the host kernel has joined
 * groups of its own on it, and a veth configured as a NIC's host device.
 */
@EnabledIfSystemProperty(named = NicRxFilterIT.PLUGIN_JAR_PROPERTY, matches = ".+",
        disabledReason = "needs the packaged plugin jar: runs under failsafe, after package (mvn verify)")
class NicRxFilterHostDeviceIT {
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    private final IpRoute2HostNetwork host = new IpRoute2HostNetwork();

    @TempDir
    Path dir;

    @Test
    void firstSyncOfAMacvtapWithKernelJoinedGroupsIsProcessedAndLeavesThemAlone() throws Exception {
        try (NetnsFixture netns = NetnsFixture.create(1)) {
            String macvtap = NetnsFixture.macvtap(0);
            List<String> kernelGroups = Eventually.await("the kernel joins its IPv6 groups on " + macvtap, DEADLINE,
                    () -> host.link(netns.name(), macvtap).kernelMulticastAddresses(),
                    groups -> groups.stream().anyMatch(g -> g.startsWith("33:33:ff:")));
            assertThat(host.link(netns.name(), macvtap).isMacvtap()).isTrue();
            try (Qemu qemu = Qemu.builder().paused().netns(netns.name()).qmpSocket("daemon")
                    .nic(QemuNic.tap("net0", netns.tapDevice(macvtap)).withMac(netns.mac(macvtap))).start();
                 TestDaemon daemon = daemon(qemu, "net0", macvtap, netns)) {
                JsonNode sync = awaitLine(daemon, "resync/CONNECTED");

                assertThat(sync.path("outcome").asText()).as(sync.toString()).isEqualTo("processed");
                assertThat(JournalFile.actions(List.of(sync))).noneMatch(a -> a.contains("remove multicast 33:33:"));
                assertThat(host.link(netns.name(), macvtap).multicastAddresses()).containsAll(kernelGroups);
            }
        }
    }

    @Test
    void vethAsAHostDeviceIsAConfigurationErrorNamingTheNicAndTheDevice() throws Exception {
        try (NetnsFixture netns = NetnsFixture.create(1)) {
            String veth = NetnsFixture.lower(0);
            LinkState before = host.link(netns.name(), veth);
            try (Qemu qemu = Qemu.builder().paused().qmpSocket("daemon").nic("net1").start();
                 TestDaemon daemon = daemon(qemu, "net1", veth, netns)) {
                JsonNode sync = awaitLine(daemon, "resync/CONNECTED");

                assertThat(sync.path("outcome").asText()).isEqualTo("failed");
                assertThat(sync.path("error").asText()).contains("configuration error", "NIC net1",
                        "host device " + veth + " (netns " + netns.name() + ") is a veth, not a macvtap");
                assertThat(host.link(netns.name(), veth)).isEqualTo(before);
            }
        }
    }

    /** The daemon with the packaged jar and the real host network, domain vm1 with one trusted NIC. */
    private TestDaemon daemon(Qemu qemu, String nic, String device, NetnsFixture netns) throws Exception {
        TestDaemon fixture = TestDaemon.in(dir).host(host)
                .pluginJar(Path.of(System.getProperty(NicRxFilterIT.PLUGIN_JAR_PROPERTY)))
                .yaml("domains:\n  - name: vm1\n    qmp: " + qemu.qmpSocket("daemon") + "\n    reconnect: false\n"
                        + "    nics:\n      - alias: " + nic + "\n        hostDevice: " + device + "\n        netns: "
                        + netns.name() + "\n        trustGuestRxFilters: true");
        try {
            fixture.start();
            return fixture;
        } catch (Exception | Error e) {
            fixture.close();
            throw e;
        }
    }

    private static JsonNode awaitLine(TestDaemon daemon, String event) {
        Optional<JsonNode> line = Eventually.await("a journal line for " + event, DEADLINE,
                () -> JournalLines.read(daemon.journal).stream().filter(l -> l.path("event").asText().equals(event)
                        && !l.path("outcome").asText().equals("slow")).findFirst(), Optional::isPresent);
        return line.orElseThrow();
    }
}
