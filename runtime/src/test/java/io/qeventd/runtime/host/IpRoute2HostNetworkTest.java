package io.qeventd.runtime.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qeventd.api.HostNetworkException;
import io.qeventd.api.LinkState;
import io.qeventd.testkit.vm.NetnsFixture;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against a real macvtap in a network namespace each test creates and deletes. */
class IpRoute2HostNetworkTest {
    private static final String DEVICE = NetnsFixture.MACVTAP;

    private final IpRoute2HostNetwork network = new IpRoute2HostNetwork();
    private NetnsFixture netns;

    @BeforeEach
    void createNamespace() {
        netns = NetnsFixture.create();
    }

    @AfterEach
    void deleteNamespace() {
        netns.close();
    }

    @Test
    void readsTheStateOfADeviceInANamespace() {
        LinkState state = network.link(netns.name(), DEVICE);

        assertThat(state.device()).isEqualTo(DEVICE);
        assertThat(state.mac()).isEqualTo(netns.macvtapMac()).matches("[0-9a-f]{2}(:[0-9a-f]{2}){5}");
        assertThat(state.promiscuous()).isFalse();
        assertThat(state.allMulticast()).isFalse();
        assertThat(state.multicast()).isTrue();
        // An up device has joined the IPv6 all-nodes group.
        assertThat(state.multicastAddresses()).contains("33:33:00:00:00:01");
    }

    @Test
    void setMacChangesTheAddressAndReadsBackLowerCase() {
        String original = network.link(netns.name(), DEVICE).mac();

        network.setMac(netns.name(), DEVICE, "02:AB:CD:EF:01:23");
        assertThat(network.link(netns.name(), DEVICE).mac()).isEqualTo("02:ab:cd:ef:01:23");
        assertThat(netns.ip("link", "show", "dev", DEVICE)).contains("02:ab:cd:ef:01:23");

        network.setMac(netns.name(), DEVICE, original);
        assertThat(network.link(netns.name(), DEVICE).mac()).isEqualTo(original);
    }

    @Test
    void promiscuousModeTurnsOnAndOff() {
        network.setPromiscuous(netns.name(), DEVICE, true);
        assertThat(network.link(netns.name(), DEVICE).promiscuous()).isTrue();
        assertThat(netns.ip("link", "show", "dev", DEVICE)).contains("PROMISC");

        network.setPromiscuous(netns.name(), DEVICE, false);
        assertThat(network.link(netns.name(), DEVICE).promiscuous()).isFalse();
    }

    @Test
    void allMulticastModeTurnsOnAndOff() {
        network.setAllMulticast(netns.name(), DEVICE, true);
        assertThat(network.link(netns.name(), DEVICE).allMulticast()).isTrue();
        assertThat(netns.ip("link", "show", "dev", DEVICE)).contains("ALLMULTI");

        network.setAllMulticast(netns.name(), DEVICE, false);
        assertThat(network.link(netns.name(), DEVICE).allMulticast()).isFalse();
    }

    @Test
    void multicastFlagTurnsOffAndOn() {
        network.setMulticast(netns.name(), DEVICE, false);
        assertThat(network.link(netns.name(), DEVICE).multicast()).isFalse();

        network.setMulticast(netns.name(), DEVICE, true);
        assertThat(network.link(netns.name(), DEVICE).multicast()).isTrue();
    }

    @Test
    void multicastAddressIsAddedAndRemoved() {
        network.addMulticast(netns.name(), DEVICE, "01:00:5E:01:02:03");
        assertThat(network.link(netns.name(), DEVICE).multicastAddresses()).contains("01:00:5e:01:02:03");
        assertThat(netns.ip("maddr", "show", "dev", DEVICE)).contains("01:00:5e:01:02:03");

        network.removeMulticast(netns.name(), DEVICE, "01:00:5e:01:02:03");
        assertThat(network.link(netns.name(), DEVICE).multicastAddresses()).doesNotContain("01:00:5e:01:02:03");
    }

    @Test
    void readsTheKindOfEachLink() {
        assertThat(network.link(netns.name(), DEVICE).kind()).isEqualTo(LinkState.MACVTAP);
        assertThat(network.link(netns.name(), DEVICE).isMacvtap()).isTrue();
        assertThat(network.link(netns.name(), NetnsFixture.LOWER).kind()).isEqualTo("veth");
        assertThat(network.link(netns.name(), "lo").kind()).isNull();
    }

    @Test
    void groupsTheKernelJoinedAreToldApartFromAddedOnes() {
        // IPv6 is on: the kernel joins all-nodes (33:33:00:00:00:01) on the macvtap by itself.
        String allNodes = "33:33:00:00:00:01";
        assertThat(network.link(netns.name(), DEVICE).kernelMulticastAddresses()).contains(allNodes);

        network.addMulticast(netns.name(), DEVICE, "01:00:5e:01:02:03");
        LinkState state = network.link(netns.name(), DEVICE);

        assertThat(state.multicastAddresses()).contains("01:00:5e:01:02:03", allNodes);
        assertThat(state.kernelMulticastAddresses()).contains(allNodes).doesNotContain("01:00:5e:01:02:03");
    }

    @Test
    void unknownDeviceFailsNamingDeviceNamespaceCommandAndIpsError() {
        assertThatThrownBy(() -> network.link(netns.name(), "nosuch0"))
                .isInstanceOf(HostNetworkException.class)
                .hasMessageContaining("nosuch0")
                .hasMessageContaining("netns " + netns.name())
                .hasMessageContaining("ip -n " + netns.name() + " -json -details link show dev nosuch0")
                .hasMessageContaining("does not exist");
        assertThatThrownBy(() -> network.setPromiscuous(netns.name(), "nosuch0", true))
                .isInstanceOf(HostNetworkException.class)
                .hasMessageContaining("ip -n " + netns.name() + " link set dev nosuch0 promisc on");
    }

    @Test
    void unknownNamespaceFailsNamingIt() {
        assertThatThrownBy(() -> network.link("qe-missing", DEVICE))
                .isInstanceOf(HostNetworkException.class)
                .hasMessageContaining(DEVICE)
                .hasMessageContaining("qe-missing")
                .hasMessageContaining("Cannot open network namespace");
    }

    @Test
    void removingAMulticastAddressNotJoinedFails() {
        assertThatThrownBy(() -> network.removeMulticast(netns.name(), DEVICE, "01:00:5e:09:09:09"))
                .isInstanceOf(HostNetworkException.class)
                .hasMessageContaining("maddr del 01:00:5e:09:09:09 dev " + DEVICE)
                .hasMessageContaining("netns " + netns.name());
    }

    @Test
    void malformedMacIsRejectedBeforeAnythingRuns() {
        assertThatThrownBy(() -> network.setMac(netns.name(), DEVICE, "02:ab:cd"))
                .isInstanceOf(HostNetworkException.class)
                .hasMessageContaining("not a MAC address")
                .hasMessageContaining(DEVICE + " (netns " + netns.name() + ")");
    }

    @Test
    void missingIpProgramIsReportedAsSuch() {
        IpRoute2HostNetwork withoutIp = new IpRoute2HostNetwork("/nonexistent/ip", Duration.ofSeconds(5));

        assertThatThrownBy(() -> withoutIp.link(netns.name(), DEVICE))
                .isInstanceOf(HostNetworkException.class)
                .hasMessageContaining("'/nonexistent/ip' is not installed")
                .hasMessageContaining("iproute2");
    }

    @Test
    void deviceInTheDaemonsOwnNamespaceIsReadWithoutNetnsOption() {
        LinkState loopback = network.link(null, "lo");

        assertThat(loopback.device()).isEqualTo("lo");
        assertThat(loopback.mac()).isEqualTo("00:00:00:00:00:00");
    }
}
