package io.qeventd.plugins.nic;

import static org.assertj.core.api.Assertions.assertThat;

import io.qeventd.api.HostNetwork;
import io.qeventd.api.LinkState;
import io.qeventd.api.Nic;
import io.qeventd.runtime.host.InMemoryHostNetwork;
import io.qeventd.runtime.journal.JournalRecord;
import io.qeventd.runtime.journal.Outcome;
import io.qeventd.testkit.PluginHarness;
import io.qeventd.testkit.qmp.FakeQmpServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plugin's handler in the daemon's pipeline, against a fake QEMU and an in-memory host network. */
class NicRxFilterHandlersTest {
    private static final Duration DEADLINE = Duration.ofSeconds(10);
    private static final String DOMAIN = "vm1";
    private static final String NETNS = "tenant1";
    private static final String MAC = "52:54:00:00:00:10";
    private static final String OTHER_MAC = "52:54:00:00:00:11";
    private static final String ALL_HOSTS = "01:00:5e:00:00:01";
    private static final String GROUP = "01:00:5e:01:02:03";
    private static final Nic TRUSTED = new Nic("net0", "mvt0", NETNS, true);
    private static final Nic TRUSTED_TOO = new Nic("net1", "mvt1", NETNS, true);
    private static final Nic UNTRUSTED = new Nic("net2", "mvt2", NETNS, false);

    @TempDir
    Path dir;

    private FakeQmpServer qemu;
    private final GuestFilters guest = new GuestFilters();
    private final InMemoryHostNetwork devices = new InMemoryHostNetwork();
    private PluginHarness pipeline;

    @BeforeEach
    void startFakeQemu() throws Exception {
        qemu = FakeQmpServer.start(dir.resolve("qmp.sock"));
        guest.serve(qemu);
        for (Nic nic : List.of(TRUSTED, TRUSTED_TOO, UNTRUSTED)) {
            // Guest and host device start in step: normal multicast, the all-hosts group, not promiscuous.
            guest.set(nic.alias(), MAC, false, "normal", false, List.of(ALL_HOSTS));
            devices.addDevice(NETNS, nic.hostDevice(), inStep(nic.hostDevice()));
        }
    }

    @AfterEach
    void stop() {
        try {
            guest.releaseQueries();
            if (pipeline != null) {
                pipeline.close();
            }
        } finally {
            qemu.close();
        }
    }

    private static LinkState inStep(String device) {
        return macvtap(device, MAC, false, false, true, List.of(ALL_HOSTS));
    }

    private static LinkState macvtap(String device, String mac, boolean promiscuous, boolean allMulticast,
                                     boolean multicast, List<String> multicastAddresses) {
        return new LinkState(device, mac, promiscuous, allMulticast, multicast, multicastAddresses, LinkState.MACVTAP,
                List.of());
    }

    /** The pipeline with this plugin's handlers, the domain attached with {@code nics}, its connect resync done. */
    private void attach(HostNetwork host, Nic... nics) throws Exception {
        pipeline = PluginHarness.builder().workers(2).queueLimit(64).host(host).build();
        pipeline.register("nic-rx-filter", "1.0.0",
                new NicRxFilterHandlers(pipeline.sharedState("nic-rx-filter", getClass().getClassLoader()))
                        .handlers());
        pipeline.attach(DOMAIN, qemu.socket(), List.of(nics));
        pipeline.journal().awaitOne(r -> r.event().equals("resync/CONNECTED") && r.outcome() != Outcome.SLOW, DEADLINE);
    }

    private void attach(Nic... nics) throws Exception {
        attach(devices, nics);
    }

    private void emitFilterChanged(Object data) {
        assertThat(qemu.emit(NicRxFilterHandlers.EVENT, data)).as("event delivered").isTrue();
    }

    private static Map<String, String> nicData(String name) {
        return Map.of("name", name, "path", "/machine/peripheral/" + name + "/virtio-backend");
    }

    private JournalRecord awaitEvent(Outcome outcome) throws Exception {
        return awaitEvents(outcome, 1).get(0);
    }

    private List<JournalRecord> awaitEvents(Outcome outcome, int count) throws Exception {
        return pipeline.journal().await(r -> r.event().equals(NicRxFilterHandlers.EVENT) && r.outcome() == outcome,
                count, DEADLINE);
    }

    private List<String> queriedNics() {
        return qemu.received().stream().filter(c -> c.command().equals(RxFilterSync.QUERY))
                .map(c -> c.arguments().path("name").asText()).toList();
    }

    @Test
    void trustedNicsHostDeviceTakesTheGuestsNewFilterWhenTheEventArrives() throws Exception {
        attach(TRUSTED);
        guest.set("net0", OTHER_MAC, true, "normal", false, List.of(ALL_HOSTS, GROUP));

        emitFilterChanged(nicData("net0"));

        JournalRecord record = awaitEvent(Outcome.PROCESSED);
        assertThat(record.plugin()).isEqualTo("nic-rx-filter");
        assertThat(record.type()).isEqualTo("RX_FILTER_CHANGED");
        assertThat(record.actions()).containsExactly(
                "mvt0 (netns tenant1): MAC " + OTHER_MAC,
                "mvt0 (netns tenant1): add multicast " + GROUP,
                "mvt0 (netns tenant1): promiscuous on");
        assertThat(devices.link(NETNS, "mvt0"))
                .isEqualTo(macvtap("mvt0", OTHER_MAC, true, false, true, List.of(ALL_HOSTS, GROUP)));
    }

    @Test
    void multicastModesReachTheHostDevice() throws Exception {
        attach(TRUSTED);

        guest.set("net0", MAC, false, "all", false, List.of(ALL_HOSTS));
        emitFilterChanged(nicData("net0"));
        assertThat(awaitEvents(Outcome.PROCESSED, 1).get(0).actions())
                .containsExactly("mvt0 (netns tenant1): all-multicast on");
        assertThat(devices.link(NETNS, "mvt0").allMulticast()).isTrue();

        guest.set("net0", MAC, false, "none", false, List.of());
        emitFilterChanged(nicData("net0"));
        assertThat(awaitEvents(Outcome.PROCESSED, 2).get(1).actions()).containsExactly(
                "mvt0 (netns tenant1): remove multicast " + ALL_HOSTS,
                "mvt0 (netns tenant1): all-multicast off",
                "mvt0 (netns tenant1): multicast off");
        assertThat(devices.link(NETNS, "mvt0"))
                .isEqualTo(macvtap("mvt0", MAC, false, false, false, List.of()));
    }

    @Test
    void connectingCatchesUpEveryTrustedNicAndLeavesTheUntrustedOneAlone() throws Exception {
        guest.set("net0", OTHER_MAC, false, "normal", false, List.of(ALL_HOSTS));
        guest.set("net1", MAC, true, "normal", false, List.of(ALL_HOSTS));
        guest.set("net2", MAC, true, "all", false, List.of(GROUP));

        attach(TRUSTED, TRUSTED_TOO, UNTRUSTED);

        JournalRecord resync = pipeline.journal().awaitOne(r -> r.event().equals("resync/CONNECTED"), DEADLINE);
        assertThat(resync.outcome()).isEqualTo(Outcome.PROCESSED);
        assertThat(resync.actions()).containsExactly(
                "mvt0 (netns tenant1): MAC " + OTHER_MAC, "mvt1 (netns tenant1): promiscuous on");
        assertThat(devices.link(NETNS, "mvt0").mac()).isEqualTo(OTHER_MAC);
        assertThat(devices.link(NETNS, "mvt1").promiscuous()).isTrue();
        assertThat(devices.link(NETNS, "mvt2")).isEqualTo(inStep("mvt2"));
        assertThat(queriedNics()).containsExactly("net0", "net1");
    }

    @Test
    void groupsTheHostKernelJoinedAreNeverRemovedSoTheFirstSyncSucceeds() throws Exception {
        String allNodes = "33:33:00:00:00:01";
        String solicitedNode = "33:33:ff:00:00:10";
        devices.addDevice(NETNS, "mvt5", new LinkState("mvt5", MAC, false, false, true,
                List.of(ALL_HOSTS, allNodes, solicitedNode, GROUP), LinkState.MACVTAP, List.of(allNodes, solicitedNode)));
        guest.set("net5", MAC, false, "normal", false, List.of(ALL_HOSTS));

        attach(new Nic("net5", "mvt5", NETNS, true));

        JournalRecord resync = pipeline.journal().awaitOne(r -> r.event().equals("resync/CONNECTED"), DEADLINE);
        assertThat(resync.outcome()).as(String.valueOf(resync.error())).isEqualTo(Outcome.PROCESSED);
        assertThat(resync.actions()).containsExactly("mvt5 (netns tenant1): remove multicast " + GROUP);
        assertThat(pipeline.sharedState("reader", getClass().getClassLoader())
                .get(DOMAIN, NicRxFilterHandlers.NICS).orElseThrow().lastSync())
                .containsExactly(Map.entry("net5", "mvt5 (netns tenant1): 1 change"));
        assertThat(devices.link(NETNS, "mvt5").multicastAddresses()).containsExactly(ALL_HOSTS, allNodes, solicitedNode);
    }

    @Test
    void hostDeviceThatIsNoMacvtapIsAConfigurationErrorNamingTheNicAndDevice() throws Exception {
        devices.addDevice(NETNS, "v0", new LinkState("v0", MAC, false, false, true, List.of(), "veth", List.of()));
        attach(new Nic("net0", "v0", NETNS, true));
        List<String> queriedBefore = queriedNics();

        emitFilterChanged(nicData("net0"));

        JournalRecord record = awaitEvent(Outcome.FAILED);
        assertThat(record.error()).contains("configuration error", "domain 'vm1'", "NIC net0",
                "host device v0 (netns tenant1) is a veth, not a macvtap");
        assertThat(record.actions()).isEmpty();
        assertThat(queriedNics()).isEqualTo(queriedBefore).doesNotContain("net0");
        assertThat(pipeline.sharedState("reader", getClass().getClassLoader())
                .get(DOMAIN, NicRxFilterHandlers.NICS).orElseThrow().lastSync().get("net0"))
                .startsWith("v0 (netns tenant1): failed: configuration error");
        assertThat(devices.link(NETNS, "v0").mac()).isEqualTo(MAC);
    }

    @Test
    void untrustedNicIsIgnoredWithoutQueryingIt() throws Exception {
        attach(TRUSTED, UNTRUSTED);
        List<String> queriedBefore = queriedNics();
        guest.set("net2", OTHER_MAC, true, "all", false, List.of(GROUP));

        emitFilterChanged(nicData("net2"));

        JournalRecord record = awaitEvent(Outcome.PROCESSED);
        assertThat(record.actions()).containsExactly("net2: guest RX filters not trusted; ignored");
        assertThat(queriedNics()).isEqualTo(queriedBefore).doesNotContain("net2");
        assertThat(devices.link(NETNS, "mvt2")).isEqualTo(inStep("mvt2"));
    }

    @Test
    void eventWithoutANicNameIsIgnored() throws Exception {
        attach(TRUSTED);
        List<String> queriedBefore = queriedNics();

        emitFilterChanged(Map.of("path", "/machine/peripheral-anon/device[0]/virtio-backend"));
        emitFilterChanged(null);

        List<JournalRecord> records = awaitEvents(Outcome.PROCESSED, 2);
        assertThat(records).allSatisfy(r -> assertThat(r.actions()).containsExactly("event without a NIC name; ignored"));
        assertThat(queriedNics()).isEqualTo(queriedBefore);
    }

    @Test
    void eventForANicTheConfigurationDoesNotListIsIgnored() throws Exception {
        attach(TRUSTED);
        List<String> queriedBefore = queriedNics();

        emitFilterChanged(nicData("net9"));

        assertThat(awaitEvent(Outcome.PROCESSED).actions()).containsExactly("net9: not configured; ignored");
        assertThat(queriedNics()).isEqualTo(queriedBefore);
    }

    @Test
    void aFailingChangeIsReportedAndTheOthersStillHappen() throws Exception {
        attach(new FailingHostNetwork(devices).fail("setPromiscuous"), TRUSTED);
        guest.set("net0", OTHER_MAC, true, "normal", false, List.of(ALL_HOSTS, GROUP));

        emitFilterChanged(nicData("net0"));

        JournalRecord record = awaitEvent(Outcome.FAILED);
        assertThat(record.error()).contains("net0 -> mvt0 (netns tenant1): 1 of 3 changes failed");
        assertThat(record.actions()).hasSize(3);
        assertThat(record.actions().get(0)).isEqualTo("mvt0 (netns tenant1): MAC " + OTHER_MAC);
        assertThat(record.actions().get(1)).isEqualTo("mvt0 (netns tenant1): add multicast " + GROUP);
        assertThat(record.actions().get(2)).startsWith("mvt0 (netns tenant1): promiscuous on failed: ")
                .contains("Operation not permitted");
        assertThat(devices.link(NETNS, "mvt0"))
                .isEqualTo(macvtap("mvt0", OTHER_MAC, false, false, true, List.of(ALL_HOSTS, GROUP)));
    }

    @Test
    void repeatedEventsForOneNicCollapseWhileQueuedButNotThoseOfAnotherNic() throws Exception {
        attach(TRUSTED, TRUSTED_TOO);
        guest.holdQueries();
        emitFilterChanged(nicData("net0"));
        assertThat(guest.awaitHeld(10)).as("the first event's query reached QEMU").isTrue();

        guest.set("net0", OTHER_MAC, true, "normal", false, List.of(ALL_HOSTS));
        emitFilterChanged(nicData("net0"));
        emitFilterChanged(nicData("net1"));
        emitFilterChanged(nicData("net0"));
        emitFilterChanged(nicData("net0"));
        awaitEvents(Outcome.COALESCED, 2);
        guest.releaseQueries();

        List<JournalRecord> processed = awaitEvents(Outcome.PROCESSED, 3);
        assertThat(pipeline.journal().records(r -> r.event().equals(NicRxFilterHandlers.EVENT)))
                .extracting(JournalRecord::outcome)
                .containsOnly(Outcome.PROCESSED, Outcome.COALESCED)
                .filteredOn(o -> o == Outcome.COALESCED).hasSize(2);
        // The newest event of a NIC takes the place of those it replaced at the end of the queue.
        assertThat(queriedNics()).containsExactly("net0", "net1", "net0", "net1", "net0");
        assertThat(processed.get(0).actions()).containsExactly(
                "mvt0 (netns tenant1): MAC " + OTHER_MAC, "mvt0 (netns tenant1): promiscuous on");
        assertThat(processed.get(1).actions()).isEmpty(); // net1 was in step already
        assertThat(processed.get(2).actions()).isEmpty(); // the first run read the newest filter
    }

    @Test
    void guestResetResyncsEveryTrustedNic() throws Exception {
        attach(TRUSTED, UNTRUSTED);
        guest.set("net0", MAC, true, "normal", false, List.of(ALL_HOSTS, GROUP));
        guest.set("net2", MAC, true, "normal", false, List.of(ALL_HOSTS, GROUP));

        assertThat(qemu.emit("RESET", Map.of("guest", true, "reason", "guest-reset"))).isTrue();

        JournalRecord resync = pipeline.journal().awaitOne(r -> r.event().equals("resync/RESET"), DEADLINE);
        assertThat(resync.outcome()).isEqualTo(Outcome.PROCESSED);
        assertThat(resync.actions()).containsExactly(
                "mvt0 (netns tenant1): add multicast " + GROUP, "mvt0 (netns tenant1): promiscuous on");
        assertThat(queriedNics()).containsExactly("net0", "net0");
        assertThat(devices.link(NETNS, "mvt2")).isEqualTo(inStep("mvt2"));
    }

    @Test
    void oneNicFailingToSyncDoesNotKeepTheOthersFromIt() throws Exception {
        Nic missingDevice = new Nic("net0", "gone0", NETNS, true);
        guest.set("net1", MAC, true, "normal", false, List.of(ALL_HOSTS));

        attach(missingDevice, TRUSTED_TOO);

        JournalRecord resync = pipeline.journal().awaitOne(r -> r.event().equals("resync/CONNECTED"), DEADLINE);
        assertThat(resync.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(resync.error()).contains("net0 -> gone0 (netns tenant1): cannot sync").contains("gone0");
        assertThat(resync.actions()).hasSize(2);
        assertThat(resync.actions().get(1)).isEqualTo("mvt1 (netns tenant1): promiscuous on");
        assertThat(devices.link(NETNS, "mvt1").promiscuous()).isTrue();
    }

    @Test
    void aNicQemuDoesNotHaveFailsTheRunNamingIt() throws Exception {
        attach(new Nic("net7", "mvt0", NETNS, true));

        JournalRecord resync = pipeline.journal().awaitOne(r -> r.event().equals("resync/CONNECTED"), DEADLINE);
        assertThat(resync.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(resync.error()).contains("net7").contains("DeviceNotFound");
    }
}
