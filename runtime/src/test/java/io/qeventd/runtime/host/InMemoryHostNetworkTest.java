package io.qeventd.runtime.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qeventd.api.HostNetworkException;
import io.qeventd.api.LinkState;
import java.util.List;
import org.junit.jupiter.api.Test;

class InMemoryHostNetworkTest {
    private static final LinkState MVT0 =
            new LinkState("mvt0", "52:54:00:AA:BB:CC", false, false, true, List.of("33:33:00:00:00:01"));

    private final InMemoryHostNetwork network = new InMemoryHostNetwork().addDevice("qe-1", "mvt0", MVT0);

    @Test
    void readsTheAddedDeviceWithMacsLowerCase() {
        assertThat(network.link("qe-1", "mvt0")).isEqualTo(
                new LinkState("mvt0", "52:54:00:aa:bb:cc", false, false, true, List.of("33:33:00:00:00:01")));
    }

    @Test
    void changesShowInLaterReads() {
        network.setMac("qe-1", "mvt0", "02:00:00:00:00:0A");
        network.setPromiscuous("qe-1", "mvt0", true);
        network.setAllMulticast("qe-1", "mvt0", true);
        network.setMulticast("qe-1", "mvt0", false);
        network.addMulticast("qe-1", "mvt0", "01:00:5E:00:00:FB");
        network.removeMulticast("qe-1", "mvt0", "33:33:00:00:00:01");

        assertThat(network.link("qe-1", "mvt0")).isEqualTo(
                new LinkState("mvt0", "02:00:00:00:00:0a", true, true, false, List.of("01:00:5e:00:00:fb")));
    }

    @Test
    void addingAJoinedMulticastAddressChangesNothing() {
        network.addMulticast("qe-1", "mvt0", "33:33:00:00:00:01");

        assertThat(network.link("qe-1", "mvt0").multicastAddresses()).containsExactly("33:33:00:00:00:01");
    }

    @Test
    void removingAMulticastAddressNotJoinedFails() {
        assertThatThrownBy(() -> network.removeMulticast("qe-1", "mvt0", "01:00:5e:00:00:fb"))
                .isInstanceOf(HostNetworkException.class)
                .hasMessageContaining("01:00:5e:00:00:fb")
                .hasMessageContaining("mvt0 (netns qe-1)");
    }

    @Test
    void devicesAreKeptApartByNamespace() {
        network.addDevice(null, "mvt0", new LinkState("mvt0", "02:00:00:00:00:01", true, false, true, List.of()));

        assertThat(network.link(null, "mvt0").promiscuous()).isTrue();
        assertThat(network.link("qe-1", "mvt0").promiscuous()).isFalse();
    }

    @Test
    void unknownDeviceFailsNamingDeviceAndNamespace() {
        assertThatThrownBy(() -> network.link("qe-1", "mvt9"))
                .isInstanceOf(HostNetworkException.class)
                .hasMessageContaining("mvt9 (netns qe-1)");
        assertThatThrownBy(() -> network.setPromiscuous("qe-2", "mvt0", true))
                .isInstanceOf(HostNetworkException.class)
                .hasMessageContaining("mvt0 (netns qe-2)");
        assertThatThrownBy(() -> network.link(null, "mvt0"))
                .isInstanceOf(HostNetworkException.class)
                .hasMessageContaining("mvt0 (daemon's netns)");
    }

    @Test
    void malformedMacIsRejected() {
        assertThatThrownBy(() -> network.setMac("qe-1", "mvt0", "52:54:00"))
                .isInstanceOf(HostNetworkException.class)
                .hasMessageContaining("not a MAC address");
        assertThat(network.link("qe-1", "mvt0").mac()).isEqualTo("52:54:00:aa:bb:cc");
    }

    @Test
    void addingADeviceTwiceOrUnderAnotherNameIsRejected() {
        assertThatThrownBy(() -> network.addDevice("qe-1", "mvt0", MVT0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exists already");
        assertThatThrownBy(() -> network.addDevice("qe-1", "mvt1", MVT0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("given the state of mvt0");
    }
}
