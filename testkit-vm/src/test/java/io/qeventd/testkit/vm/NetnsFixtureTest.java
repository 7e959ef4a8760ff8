package io.qeventd.testkit.vm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class NetnsFixtureTest {
    @Test
    void createsTheNamespaceWithVethAndMacvtapAndItsOwnTapNode() throws Exception {
        try (NetnsFixture netns = NetnsFixture.create()) {
            assertThat(netns.name()).matches("qe-[0-9a-f]{8}");
            assertThat(NetnsFixture.exists(netns.name())).isTrue();
            assertThat(netns.ip("-details", "link", "show", "dev", NetnsFixture.MACVTAP))
                    .contains("macvtap mode bridge").contains("@" + NetnsFixture.LOWER);
            assertThat(netns.ip("link", "show", "dev", NetnsFixture.PEER)).contains("state UP");
            String sysfsNumber = netns.inside("sh", "-c",
                    "cat /sys/class/net/" + NetnsFixture.MACVTAP + "/macvtap/tap*/dev").strip();
            assertThat(Files.getAttribute(netns.tapDevice(), "unix:rdev")).isEqualTo(rdev(sysfsNumber));
        }
    }

    @Test
    void closeDeletesTheNamespaceAndTheTapNode() {
        NetnsFixture netns = NetnsFixture.create();
        Path tap = netns.tapDevice();

        netns.close();

        assertThat(NetnsFixture.exists(netns.name())).isFalse();
        assertThat(tap).doesNotExist();
    }

    @Test
    void twoNamespacesGetTheirOwnMacvtapDevices() throws Exception {
        try (NetnsFixture first = NetnsFixture.create(); NetnsFixture second = NetnsFixture.create()) {
            // Both macvtaps may have the same ifindex (so the same /dev/tapN name); the nodes must still differ.
            assertThat(Files.getAttribute(first.tapDevice(), "unix:rdev"))
                    .isNotEqualTo(Files.getAttribute(second.tapDevice(), "unix:rdev"));
        }
    }

    @Test
    void eachFurtherMacvtapSitsOnAVethPairOfItsOwnWithItsOwnTapNode() throws Exception {
        try (NetnsFixture netns = NetnsFixture.create(2)) {
            String second = NetnsFixture.macvtap(1);

            assertThat(second).isEqualTo("mvt1");
            assertThat(netns.ip("-details", "link", "show", "dev", second))
                    .contains("macvtap mode bridge").contains("@" + NetnsFixture.lower(1));
            assertThat(netns.ip("link", "show", "dev", NetnsFixture.peer(1))).contains("state UP");
            assertThat(Files.getAttribute(netns.tapDevice(second), "unix:rdev"))
                    .isNotEqualTo(Files.getAttribute(netns.tapDevice(), "unix:rdev"));
            assertThat(netns.mac(second)).matches("[0-9a-f]{2}(:[0-9a-f]{2}){5}").isNotEqualTo(netns.macvtapMac());
        }
    }

    @Test
    void disablingIpv6LeavesTheKernelsIpv6MulticastGroups() {
        try (NetnsFixture netns = NetnsFixture.create()) {
            assertThat(netns.ip("maddr", "show", "dev", NetnsFixture.MACVTAP)).contains("33:33:00:00:00:01");

            netns.disableIpv6(NetnsFixture.MACVTAP);

            assertThat(netns.ip("maddr", "show", "dev", NetnsFixture.MACVTAP)).doesNotContain("33:33:");
        }
    }

    /** The st_rdev of a character device whose sysfs "dev" file says MAJOR:MINOR (Linux's encoding). */
    private static long rdev(String majorMinor) {
        String[] parts = majorMinor.split(":");
        long major = Long.parseLong(parts[0]);
        long minor = Long.parseLong(parts[1]);
        return ((major & 0xfffff000L) << 32) | ((major & 0xfffL) << 8) | ((minor & 0xffffff00L) << 12) | (minor & 0xffL);
    }
}
