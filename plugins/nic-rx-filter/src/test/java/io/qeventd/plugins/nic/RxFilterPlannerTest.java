package io.qeventd.plugins.nic;

import static org.assertj.core.api.Assertions.assertThat;

import io.qeventd.api.LinkState;
import io.qeventd.plugins.nic.FilterChange.AddMulticast;
import io.qeventd.plugins.nic.FilterChange.RemoveMulticast;
import io.qeventd.plugins.nic.FilterChange.SetAllMulticast;
import io.qeventd.plugins.nic.FilterChange.SetMac;
import io.qeventd.plugins.nic.FilterChange.SetMulticast;
import io.qeventd.plugins.nic.FilterChange.SetPromiscuous;
import java.util.List;
import org.junit.jupiter.api.Test;

class RxFilterPlannerTest {
    private static final String MAC = "52:54:00:12:34:56";
    private static final String ALL_HOSTS = "01:00:5e:00:00:01";
    private static final String GROUP = "01:00:5e:01:02:03";

    /** A guest filter: normal multicast without overflow, no VLANs, not promiscuous. */
    private static RxFilter guest(String mac, boolean promiscuous, RxMode multicast, boolean overflow,
                                  List<Integer> vlans, List<String> multicastTable) {
        return new RxFilter("net0", promiscuous, multicast, RxMode.NORMAL, vlans.isEmpty() ? RxMode.NONE : RxMode.NORMAL,
                true, overflow, false, mac, vlans, List.of(), multicastTable);
    }

    private static RxFilter guest() {
        return guest(MAC, false, RxMode.NORMAL, false, List.of(), List.of(ALL_HOSTS));
    }

    /** A host device in step with {@link #guest()}. */
    private static LinkState host() {
        return new LinkState("mvt0", MAC, false, false, true, List.of(ALL_HOSTS));
    }

    @Test
    void deviceInStepWithTheGuestNeedsNoChange() {
        assertThat(RxFilterPlanner.plan(guest(), host())).isEmpty();
    }

    @Test
    void differentMacIsSetToTheGuests() {
        LinkState host = new LinkState("mvt0", "52:54:00:00:00:01", false, false, true, List.of(ALL_HOSTS));

        assertThat(RxFilterPlanner.plan(guest(), host)).containsExactly(new SetMac(MAC));
    }

    @Test
    void macsThatDifferOnlyInCaseAreTheSame() {
        RxFilter upper = guest(MAC.toUpperCase(), false, RxMode.NORMAL, false, List.of(), List.of(ALL_HOSTS.toUpperCase()));

        assertThat(RxFilterPlanner.plan(upper, host())).isEmpty();
    }

    @Test
    void multicastAddressesTheGuestAddedAreAddedAndThoseItDroppedAreRemoved() {
        RxFilter guest = guest(MAC, false, RxMode.NORMAL, false, List.of(), List.of(GROUP, ALL_HOSTS));
        LinkState host = new LinkState("mvt0", MAC, false, false, true, List.of(ALL_HOSTS, "33:33:00:00:00:01"));

        assertThat(RxFilterPlanner.plan(guest, host))
                .containsExactly(new AddMulticast(GROUP), new RemoveMulticast("33:33:00:00:00:01"));
    }

    @Test
    void groupsTheHostKernelJoinedAreNotRemoved() {
        String allNodes = "33:33:00:00:00:01";
        LinkState host = new LinkState("mvt0", MAC, false, false, true, List.of(ALL_HOSTS, allNodes, GROUP),
                LinkState.MACVTAP, List.of(allNodes));

        assertThat(RxFilterPlanner.plan(guest(), host)).containsExactly(new RemoveMulticast(GROUP));
    }

    @Test
    void promiscuousModeFollowsTheGuestBothWays() {
        RxFilter promiscuousGuest = guest(MAC, true, RxMode.NORMAL, false, List.of(), List.of(ALL_HOSTS));
        LinkState promiscuousHost = new LinkState("mvt0", MAC, true, false, true, List.of(ALL_HOSTS));

        assertThat(RxFilterPlanner.plan(promiscuousGuest, host())).containsExactly(new SetPromiscuous(true));
        assertThat(RxFilterPlanner.plan(guest(), promiscuousHost)).containsExactly(new SetPromiscuous(false));
    }

    @Test
    void guestUsingVlansMakesTheDevicePromiscuousThoughTheGuestIsNot() {
        RxFilter vlanGuest = guest(MAC, false, RxMode.NORMAL, false, List.of(10, 20), List.of(ALL_HOSTS));

        assertThat(vlanGuest.usesVlans()).isTrue();
        assertThat(RxFilterPlanner.plan(vlanGuest, host())).containsExactly(new SetPromiscuous(true));
    }

    @Test
    void guestUsingVlansLeavesAPromiscuousDeviceAlone() {
        RxFilter vlanGuest = guest(MAC, false, RxMode.NORMAL, false, List.of(10), List.of(ALL_HOSTS));
        LinkState promiscuousHost = new LinkState("mvt0", MAC, true, false, true, List.of(ALL_HOSTS));

        assertThat(RxFilterPlanner.plan(vlanGuest, promiscuousHost)).isEmpty();
    }

    @Test
    void multicastModeAllTurnsAllMulticastOnAndLeavesTheMulticastFlag() {
        RxFilter all = guest(MAC, false, RxMode.ALL, false, List.of(), List.of(ALL_HOSTS));
        LinkState noMulticastHost = new LinkState("mvt0", MAC, false, false, false, List.of(ALL_HOSTS));

        assertThat(RxFilterPlanner.plan(all, host())).containsExactly(new SetAllMulticast(true));
        assertThat(RxFilterPlanner.plan(all, noMulticastHost)).containsExactly(new SetAllMulticast(true));
    }

    @Test
    void multicastModeNormalTurnsMulticastOnAndAllMulticastOff() {
        LinkState host = new LinkState("mvt0", MAC, false, true, false, List.of(ALL_HOSTS));

        assertThat(RxFilterPlanner.plan(guest(), host))
                .containsExactly(new SetMulticast(true), new SetAllMulticast(false));
    }

    @Test
    void multicastModeNormalWithAnOverflowingListTurnsAllMulticastOn() {
        RxFilter overflowing = guest(MAC, false, RxMode.NORMAL, true, List.of(), List.of(ALL_HOSTS));

        assertThat(RxFilterPlanner.plan(overflowing, host())).containsExactly(new SetAllMulticast(true));
    }

    @Test
    void multicastModeNoneTurnsAllMulticastAndMulticastOff() {
        RxFilter none = guest(MAC, false, RxMode.NONE, false, List.of(), List.of(ALL_HOSTS));
        LinkState host = new LinkState("mvt0", MAC, false, true, true, List.of(ALL_HOSTS));

        assertThat(RxFilterPlanner.plan(none, host))
                .containsExactly(new SetAllMulticast(false), new SetMulticast(false));
        assertThat(RxFilterPlanner.plan(none, new LinkState("mvt0", MAC, false, false, false, List.of(ALL_HOSTS))))
                .isEmpty();
    }

    @Test
    void everyDifferenceBecomesOneChangeInMacListPromiscuousModeOrder() {
        RxFilter guest = guest("52:54:00:aa:bb:cc", true, RxMode.ALL, false, List.of(), List.of(GROUP));
        LinkState host = new LinkState("mvt0", MAC, false, false, true, List.of(ALL_HOSTS));

        assertThat(RxFilterPlanner.plan(guest, host)).containsExactly(
                new SetMac("52:54:00:aa:bb:cc"),
                new AddMulticast(GROUP),
                new RemoveMulticast(ALL_HOSTS),
                new SetPromiscuous(true),
                new SetAllMulticast(true));
    }

    @Test
    void changesDescribeThemselvesForTheJournal() {
        assertThat(List.of(new SetMac(MAC), new AddMulticast(GROUP), new RemoveMulticast(GROUP),
                new SetPromiscuous(true), new SetMulticast(false), new SetAllMulticast(true))
                .stream().map(FilterChange::describe))
                .containsExactly("MAC " + MAC, "add multicast " + GROUP, "remove multicast " + GROUP,
                        "promiscuous on", "multicast off", "all-multicast on");
    }
}
