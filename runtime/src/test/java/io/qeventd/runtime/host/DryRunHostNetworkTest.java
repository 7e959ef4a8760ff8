package io.qeventd.runtime.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qeventd.api.HostNetworkException;
import io.qeventd.api.LinkState;
import io.qeventd.testkit.vm.NetnsFixture;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DryRunHostNetworkTest {
    private static final LinkState MVT0 =
            new LinkState("mvt0", "52:54:00:aa:bb:cc", false, false, true, List.of("33:33:00:00:00:01"));

    private final InMemoryHostNetwork reader = new InMemoryHostNetwork().addDevice("qe-1", "mvt0", MVT0);
    private final List<String> printed = new ArrayList<>();
    private final DryRunHostNetwork dryRun = new DryRunHostNetwork(reader, printed::add);

    @Test
    void eachChangeIsPrintedAndNoneIsApplied() {
        dryRun.setMac("qe-1", "mvt0", "02:00:00:00:00:0A");
        dryRun.setPromiscuous("qe-1", "mvt0", true);
        dryRun.setAllMulticast("qe-1", "mvt0", false);
        dryRun.setMulticast("qe-1", "mvt0", true);
        dryRun.addMulticast("qe-1", "mvt0", "01:00:5E:00:00:FB");
        dryRun.removeMulticast("qe-1", "mvt0", "33:33:00:00:00:01");

        assertThat(printed).containsExactly(
                "dry-run: would set the MAC of mvt0 (netns qe-1) to 02:00:00:00:00:0a",
                "dry-run: would turn promiscuous mode on for mvt0 (netns qe-1)",
                "dry-run: would turn all-multicast mode off for mvt0 (netns qe-1)",
                "dry-run: would turn the multicast flag on for mvt0 (netns qe-1)",
                "dry-run: would add multicast address 01:00:5e:00:00:fb to mvt0 (netns qe-1)",
                "dry-run: would remove multicast address 33:33:00:00:00:01 from mvt0 (netns qe-1)");
        assertThat(reader.link("qe-1", "mvt0")).isEqualTo(MVT0);
    }

    @Test
    void laterReadsShowTheDeviceAsIfChanged() {
        dryRun.setMac("qe-1", "mvt0", "02:00:00:00:00:0a");
        dryRun.setPromiscuous("qe-1", "mvt0", true);
        dryRun.addMulticast("qe-1", "mvt0", "01:00:5e:00:00:fb");
        dryRun.removeMulticast("qe-1", "mvt0", "33:33:00:00:00:01");

        assertThat(dryRun.link("qe-1", "mvt0")).isEqualTo(
                new LinkState("mvt0", "02:00:00:00:00:0a", true, false, true, List.of("01:00:5e:00:00:fb")));
    }

    @Test
    void aLaterChangeOverridesAnEarlierOne() {
        dryRun.addMulticast("qe-1", "mvt0", "01:00:5e:00:00:fb");
        dryRun.removeMulticast("qe-1", "mvt0", "01:00:5e:00:00:fb");
        dryRun.setPromiscuous("qe-1", "mvt0", true);
        dryRun.setPromiscuous("qe-1", "mvt0", false);

        assertThat(dryRun.link("qe-1", "mvt0")).isEqualTo(MVT0);
    }

    @Test
    void changesToAnUnknownDeviceFailAsTheyWouldForReal() {
        assertThatThrownBy(() -> dryRun.setPromiscuous("qe-1", "mvt9", true))
                .isInstanceOf(HostNetworkException.class)
                .hasMessageContaining("mvt9 (netns qe-1)");
        assertThatThrownBy(() -> dryRun.removeMulticast("qe-1", "mvt0", "01:00:5e:00:00:fb"))
                .isInstanceOf(HostNetworkException.class)
                .hasMessageContaining("has not joined it");
        assertThat(printed).isEmpty();
    }

    @Test
    void dryRunOverTheRealNetworkLeavesTheRealDeviceUnchanged() {
        IpRoute2HostNetwork real = new IpRoute2HostNetwork();
        try (NetnsFixture netns = NetnsFixture.create()) {
            DryRunHostNetwork overReal = new DryRunHostNetwork(real, printed::add);
            LinkState before = real.link(netns.name(), NetnsFixture.MACVTAP);

            overReal.setPromiscuous(netns.name(), NetnsFixture.MACVTAP, true);
            overReal.addMulticast(netns.name(), NetnsFixture.MACVTAP, "01:00:5e:01:02:03");

            assertThat(real.link(netns.name(), NetnsFixture.MACVTAP)).isEqualTo(before);
            assertThat(overReal.link(netns.name(), NetnsFixture.MACVTAP).promiscuous()).isTrue();
            assertThat(overReal.link(netns.name(), NetnsFixture.MACVTAP).multicastAddresses()).contains("01:00:5e:01:02:03");
            assertThat(printed).containsExactly(
                    "dry-run: would turn promiscuous mode on for mvt0 (netns " + netns.name() + ")",
                    "dry-run: would add multicast address 01:00:5e:01:02:03 to mvt0 (netns " + netns.name() + ")");
        }
    }
}
