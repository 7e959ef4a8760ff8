package io.qeventd.plugins.nic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.inject.Guice;
import io.qeventd.api.LinkState;
import io.qeventd.runtime.config.ConfigLoader;
import io.qeventd.runtime.config.QeventdConfig;
import io.qeventd.runtime.daemon.Daemon;
import io.qeventd.runtime.daemon.RuntimeModule;
import io.qeventd.runtime.host.IpRoute2HostNetwork;
import io.qeventd.runtime.testing.Eventually;
import io.qeventd.runtime.testing.NetnsFixture;
import io.qeventd.runtime.testing.Qemu;
import io.qeventd.runtime.testing.QemuNic;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.pf4j.RuntimeMode;

/**
 * The host side of the sync on real devices, with the packaged jar and a real QEMU (paused: a NIC answers
 * query-rx-filter before any guest driver runs): a macvtap with IPv6 on, so the host kernel has joined
 * groups of its own on it, and a veth configured as a NIC's host device.
 */
@EnabledIfSystemProperty(named = NicRxFilterIT.PLUGIN_JAR_PROPERTY, matches = ".+",
        disabledReason = "needs the packaged plugin jar: runs under failsafe, after package (mvn verify)")
class NicRxFilterHostDeviceIT {
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void firstSyncOfAMacvtapWithKernelJoinedGroupsIsProcessedAndLeavesThemAlone() throws Exception {
        IpRoute2HostNetwork host = new IpRoute2HostNetwork();
        try (NetnsFixture netns = NetnsFixture.create(1)) {
            String macvtap = NetnsFixture.macvtap(0);
            List<String> kernelGroups = Eventually.await("the kernel joins its IPv6 groups on " + macvtap, DEADLINE,
                    () -> host.link(netns.name(), macvtap).kernelMulticastAddresses(),
                    groups -> groups.stream().anyMatch(g -> g.startsWith("33:33:ff:")));
            assertThat(host.link(netns.name(), macvtap).isMacvtap()).isTrue();
            try (Qemu qemu = Qemu.builder().paused().netns(netns.name()).qmpSocket("daemon")
                    .nic(QemuNic.tap("net0", netns.tapDevice(macvtap)).withMac(netns.mac(macvtap))).start();
                 RunningDaemon daemon = startDaemon(host, "    nics:\n      - alias: net0\n        hostDevice: " + macvtap
                         + "\n        netns: " + netns.name() + "\n        trustGuestRxFilters: true\n",
                         qemu.qmpSocket("daemon"))) {
                JsonNode sync = awaitLine("resync/CONNECTED");

                assertThat(sync.path("outcome").asText()).as(sync.toString()).isEqualTo("processed");
                assertThat(JournalFile.actions(List.of(sync))).noneMatch(a -> a.contains("remove multicast 33:33:"));
                assertThat(host.link(netns.name(), macvtap).multicastAddresses()).containsAll(kernelGroups);
            }
        }
    }

    @Test
    void vethAsAHostDeviceIsAConfigurationErrorNamingTheNicAndTheDevice() throws Exception {
        IpRoute2HostNetwork host = new IpRoute2HostNetwork();
        try (NetnsFixture netns = NetnsFixture.create(1)) {
            String veth = NetnsFixture.lower(0);
            LinkState before = host.link(netns.name(), veth);
            try (Qemu qemu = Qemu.builder().paused().qmpSocket("daemon").nic("net1").start();
                 RunningDaemon daemon = startDaemon(host, "    nics:\n      - alias: net1\n        hostDevice: " + veth
                         + "\n        netns: " + netns.name() + "\n        trustGuestRxFilters: true\n",
                         qemu.qmpSocket("daemon"))) {
                JsonNode sync = awaitLine("resync/CONNECTED");

                assertThat(sync.path("outcome").asText()).isEqualTo("failed");
                assertThat(sync.path("error").asText()).contains("configuration error", "NIC net1",
                        "host device " + veth + " (netns " + netns.name() + ") is a veth, not a macvtap");
                assertThat(host.link(netns.name(), veth)).isEqualTo(before);
            }
        }
    }

    private JsonNode awaitLine(String event) {
        JournalFile journal = new JournalFile(dir.resolve("journal.jsonl"));
        Optional<JsonNode> line = Eventually.await("a journal line for " + event, DEADLINE,
                () -> journal.lines(event).stream().filter(l -> !l.path("outcome").asText().equals("slow")).findFirst(),
                Optional::isPresent);
        return line.orElseThrow();
    }

    /** The daemon in this JVM, stopped on close. */
    private record RunningDaemon(Daemon daemon) implements AutoCloseable {
        @Override
        public void close() {
            daemon.stop(Duration.ofSeconds(5));
        }
    }

    private RunningDaemon startDaemon(IpRoute2HostNetwork host, String nics, Path qmp) throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        Path jar = Path.of(System.getProperty(NicRxFilterIT.PLUGIN_JAR_PROPERTY));
        Files.copy(jar, plugins.resolve(jar.getFileName()));
        String yaml = "plugins:\n  dir: " + plugins + "\n  watch: false\n"
                + "journal: " + dir.resolve("journal.jsonl") + "\n"
                + "domains:\n  - name: vm1\n    qmp: " + qmp + "\n    reconnect: false\n" + nics;
        QeventdConfig config = ConfigLoader.parse(yaml, "NicRxFilterHostDeviceIT", dir);
        Daemon daemon = Guice.createInjector(new RuntimeModule(config, host, RuntimeMode.DEPLOYMENT))
                .getInstance(Daemon.class);
        try {
            daemon.start();
        } catch (RuntimeException e) {
            daemon.stop(Duration.ofSeconds(5));
            throw e;
        }
        return new RunningDaemon(daemon);
    }
}
