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
import io.qeventd.runtime.plugin.PluginStatus;
import io.qeventd.testkit.vm.GuestShell;
import io.qeventd.testkit.vm.NetnsFixture;
import io.qeventd.testkit.vm.Qemu;
import io.qeventd.testkit.vm.QemuNic;
import io.qeventd.testkit.vm.QemuRawQmp;
import io.qeventd.testkit.vm.TestFiles;
import io.qeventd.testkit.vm.TestGuest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.pf4j.RuntimeMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * End to end, with the packaged plugin jar: a real Linux guest in QEMU (TCG) with two virtio NICs, each
 * backed by a macvtap in a network namespace of the test's own, and the daemon attached in-process with
 * IpRoute2HostNetwork. net0 trusts the guest's RX filters, net1 does not. The guest changes its filters;
 * the trusted NIC's macvtap must follow, the untrusted one must not, and the daemon must never ask QEMU
 * for the untrusted NIC's filter.
 *
 * <p>IPv6 is off on both macvtaps: the host kernel would otherwise join IPv6 groups on them that
 * {@code ip maddr del} cannot remove, and the host's multicast list could never equal the guest's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@EnabledIfSystemProperty(named = NicRxFilterIT.PLUGIN_JAR_PROPERTY, matches = ".+",
        disabledReason = "needs the packaged plugin jar: runs under failsafe, after package (mvn verify)")
class NicRxFilterIT {
    static final String PLUGIN_JAR_PROPERTY = "qeventd.plugin.jar";
    private static final Logger LOG = LoggerFactory.getLogger(NicRxFilterIT.class);
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final String DOMAIN = "guest1";
    private static final String EVENT = NicRxFilterHandlers.EVENT;
    private static final String TRUSTED_DEVICE = NetnsFixture.macvtap(0);
    private static final String UNTRUSTED_DEVICE = NetnsFixture.macvtap(1);
    private static final String NEW_MAC = "52:54:00:5e:7a:01";
    private static final String GROUP = "01:00:5e:01:02:03";

    private final IpRoute2HostNetwork host = new IpRoute2HostNetwork();
    private Path workDirectory;
    private JournalFile journal;
    private NetnsFixture netns;
    private TestGuest guest;
    private QemuRawQmp testMonitor;
    private Daemon daemon;
    private String trustedGuestDevice;
    private String untrustedGuestDevice;
    private LinkState untrustedDeviceBeforeDaemon;

    @BeforeAll
    void bootGuestAndStartDaemon() throws Exception {
        long started = System.nanoTime();
        try {
            workDirectory = Files.createTempDirectory("nic-rx-filter-it-");
            Path plugins = Files.createDirectory(workDirectory.resolve("plugins"));
            Path jar = packagedPluginJar();
            Files.copy(jar, plugins.resolve(jar.getFileName()));
            journal = new JournalFile(workDirectory.resolve("journal.jsonl"));

            netns = NetnsFixture.create(2);
            netns.disableIpv6(TRUSTED_DEVICE);
            netns.disableIpv6(UNTRUSTED_DEVICE);
            String trustedMac = netns.mac(TRUSTED_DEVICE);
            String untrustedMac = netns.mac(UNTRUSTED_DEVICE);
            // Each NIC starts with its macvtap's MAC, as a management layer sets it up.
            guest = TestGuest.boot(Qemu.builder()
                    .netns(netns.name())
                    .qmpSocket("daemon")
                    .qmpSocket("test")
                    .nic(QemuNic.tap("net0", netns.tapDevice(TRUSTED_DEVICE)).withMac(trustedMac))
                    .nic(QemuNic.tap("net1", netns.tapDevice(UNTRUSTED_DEVICE)).withMac(untrustedMac)));
            testMonitor = QemuRawQmp.connect(guest.qemu().qmpSocket("test"), DEADLINE);
            trustedGuestDevice = GuestLink.deviceWithMac(shell(), trustedMac);
            untrustedGuestDevice = GuestLink.deviceWithMac(shell(), untrustedMac);
            // Use up net1's notification before the daemon connects: from now on QEMU reports net1 again
            // only after someone queries its filter, which lets the test see whether the daemon ever does.
            guestRuns(untrustedGuestDevice, "ip link set %s up");
            awaitNicEvent("net1");
            untrustedDeviceBeforeDaemon = host.link(netns.name(), UNTRUSTED_DEVICE);

            startDaemon(plugins);
            LOG.info("guest booted and daemon attached in {} ms", (System.nanoTime() - started) / 1_000_000);
        } catch (Exception | Error e) {
            closeAll();
            throw e;
        }
    }

    private void startDaemon(Path plugins) throws Exception {
        String yaml = String.join("\n",
                "plugins:",
                "  dir: " + plugins,
                "  watch: false",
                "admin:",
                "  socket: " + workDirectory.resolve("admin.sock"),
                "journal: " + journal.path(),
                "domains:",
                "  - name: " + DOMAIN,
                "    qmp: " + guest.qemu().qmpSocket("daemon"),
                "    reconnect: false",
                "    nics:",
                "      - alias: net0",
                "        hostDevice: " + TRUSTED_DEVICE,
                "        netns: " + netns.name(),
                "        trustGuestRxFilters: true",
                "      - alias: net1",
                "        hostDevice: " + UNTRUSTED_DEVICE,
                "        netns: " + netns.name(),
                "        trustGuestRxFilters: false",
                "");
        QeventdConfig config = ConfigLoader.parse(yaml, "NicRxFilterIT", workDirectory);
        Daemon d = Guice.createInjector(new RuntimeModule(config, host, RuntimeMode.DEPLOYMENT)).getInstance(Daemon.class);
        List<PluginStatus> loaded;
        try {
            loaded = d.start();
        } catch (RuntimeException e) {
            d.stop(Duration.ofSeconds(5));
            throw e;
        }
        daemon = d;
        assertThat(loaded).singleElement().satisfies(p -> {
            assertThat(p.id()).isEqualTo("nic-rx-filter");
            assertThat(p.state().word()).as(String.valueOf(p.error())).isEqualTo("started");
            assertThat(p.events()).containsExactly(EVENT);
        });
    }

    @AfterAll
    void closeAll() {
        try {
            if (daemon != null) {
                daemon.stop(Duration.ofSeconds(5));
                daemon = null;
                LOG.info("the daemon's journal:\n{}", journal.text().strip());
            }
        } finally {
            try {
                if (testMonitor != null) {
                    testMonitor.close();
                    testMonitor = null;
                }
            } catch (IOException e) {
                LOG.warn("cannot close the test's QMP connection: {}", e.toString());
            } finally {
                try {
                    if (guest != null) {
                        guest.close(); // QEMU runs inside the namespace: stop it first
                        guest = null;
                    }
                } finally {
                    try {
                        if (netns != null) {
                            netns.close();
                            netns = null;
                        }
                    } finally {
                        if (workDirectory != null) {
                            TestFiles.deleteRecursively(workDirectory);
                            workDirectory = null;
                        }
                    }
                }
            }
        }
    }

    @Test
    void trustedNicsMacvtapFollowsEveryChangeTheGuestMakes() throws Exception {
        // The daemon attached after the guest booted: the connect resync alone brings the macvtap in step,
        // and its query re-arms QEMU's notification, which the boot-time change had used up.
        awaitMirrored("after the daemon connected", h -> true);

        guestRuns("ip link set %s address " + NEW_MAC);
        awaitMirrored("after the guest changed its MAC", h -> h.mac().equals(NEW_MAC));

        guestRuns("ip link set %s promisc on");
        awaitMirrored("after promiscuous on", LinkState::promiscuous);

        guestRuns("ip link set %s promisc off");
        awaitMirrored("after promiscuous off", h -> !h.promiscuous());

        guestRuns("ip maddr add " + GROUP + " dev %s");
        awaitMirrored("after joining " + GROUP, h -> h.multicastAddresses().contains(GROUP));

        guestRuns("ip maddr del " + GROUP + " dev %s");
        awaitMirrored("after leaving " + GROUP, h -> !h.multicastAddresses().contains(GROUP));

        guestRuns("ip link set %s allmulticast on");
        awaitMirrored("after all-multicast on", LinkState::allMulticast);

        guestRuns("ip link set %s allmulticast off");
        awaitMirrored("after all-multicast off", h -> !h.allMulticast());

        String where = TRUSTED_DEVICE + " (netns " + netns.name() + "): ";
        List<JsonNode> lines = journal.awaitAction(EVENT, where + "all-multicast off", DEADLINE);
        assertThat(JournalFile.actions(lines)).containsSubsequence(where + "MAC " + NEW_MAC, where + "promiscuous on",
                where + "promiscuous off", where + "add multicast " + GROUP, where + "remove multicast " + GROUP,
                where + "all-multicast on", where + "all-multicast off");
        assertThat(lines).allSatisfy(line -> {
            assertThat(line.path("plugin").asText()).isEqualTo("nic-rx-filter");
            assertThat(line.path("type").asText()).isEqualTo("RX_FILTER_CHANGED");
            assertThat(line.path("domain").asText()).isEqualTo(DOMAIN);
            assertThat(line.path("qemuTime").isNumber()).as(line.toString()).isTrue();
            assertThat(line.path("outcome").asText()).as(line.toString()).isEqualTo("processed");
        });
    }

    @Test
    void untrustedNicIsLeftAloneAndNeverQueried() throws Exception {
        // net1's notification was used up before the daemon connected. Had the daemon queried net1 since
        // (on connecting or for any event), these changes would make QEMU report net1 again.
        guestRuns(untrustedGuestDevice, "ip link set %s address 52:54:00:5e:7a:02");
        guestRuns(untrustedGuestDevice, "ip link set %s promisc on");
        guestRuns(untrustedGuestDevice, "ip maddr add " + GROUP + " dev %s");
        assertThat(nicEventsSoFar()).as("NICs QEMU reported after the guest changed net1").doesNotContain("net1");

        // Query net1 from the test's monitor: QEMU reports its next change, to the daemon too, which must
        // ignore it, again without a query of its own.
        JsonNode reply = testMonitor.executeJson("{\"execute\":\"query-rx-filter\",\"arguments\":{\"name\":\"net1\"}}");
        assertThat(reply.path("return").path(0).path("promiscuous").asBoolean()).as(reply.toString()).isTrue();
        guestRuns(untrustedGuestDevice, "ip link set %s allmulticast on");
        awaitNicEvent("net1");
        journal.awaitAction(EVENT, "net1: guest RX filters not trusted; ignored", DEADLINE);
        guestRuns(untrustedGuestDevice, "ip link set %s promisc off");
        assertThat(nicEventsSoFar()).as("NICs QEMU reported after the daemon handled net1's event")
                .doesNotContain("net1");

        assertThat(host.link(netns.name(), UNTRUSTED_DEVICE)).isEqualTo(untrustedDeviceBeforeDaemon);
        assertThat(JournalFile.actions(journal.lines())).noneMatch(a -> a.startsWith(UNTRUSTED_DEVICE));
    }

    private GuestShell shell() {
        return guest.shell();
    }

    /** Runs {@code command} on the trusted NIC's guest device (its {@code %s}). */
    private void guestRuns(String command) {
        guestRuns(trustedGuestDevice, command);
    }

    private void guestRuns(String device, String command) {
        shell().run(String.format(command, device), DEADLINE).requireSuccess();
    }

    /**
     * Polls until the trusted macvtap shows what the guest's device shows (MAC, promiscuous, all-multicast,
     * the multicast list as a set) and also satisfies {@code step}.
     */
    private void awaitMirrored(String when, Predicate<LinkState> step) throws InterruptedException {
        long start = System.nanoTime();
        long end = start + DEADLINE.toNanos();
        LinkState guestSide;
        LinkState hostSide;
        while (true) {
            guestSide = GuestLink.read(shell(), trustedGuestDevice);
            hostSide = host.link(netns.name(), TRUSTED_DEVICE);
            if (step.test(hostSide) && mirrors(hostSide, guestSide)) {
                LOG.info("{}: in step after {} ms", when, (System.nanoTime() - start) / 1_000_000);
                return;
            }
            if (System.nanoTime() > end) {
                throw new AssertionError(when + ": the macvtap did not follow the guest within " + DEADLINE
                        + "\nguest: " + guestSide + "\nhost:  " + hostSide + "\njournal:\n" + journal.text());
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    private static boolean mirrors(LinkState host, LinkState guest) {
        return host.mac().equals(guest.mac())
                && host.promiscuous() == guest.promiscuous()
                && host.allMulticast() == guest.allMulticast()
                && host.multicast()
                && new HashSet<>(host.multicastAddresses()).equals(new HashSet<>(guest.multicastAddresses()));
    }

    /** Waits for a NIC_RX_FILTER_CHANGED naming {@code nic} on the test's own monitor. */
    private void awaitNicEvent(String nic) throws InterruptedException {
        long end = System.nanoTime() + DEADLINE.toNanos();
        List<String> seen = new ArrayList<>();
        while (System.nanoTime() < end) {
            Optional<JsonNode> event = testMonitor.pollEvent(EVENT, POLL);
            if (event.isPresent()) {
                String name = event.get().path("data").path("name").asText();
                if (name.equals(nic)) {
                    return;
                }
                seen.add(name);
            }
        }
        throw new AssertionError("no " + EVENT + " for " + nic + " within " + DEADLINE + "; saw it for " + seen);
    }

    /**
     * The NICs named by every NIC_RX_FILTER_CHANGED QEMU has sent the test's monitor so far. A command's
     * reply comes after every event QEMU sent before it, and a guest change has made its event by the time
     * the guest's command returns, so nothing sent for earlier changes is still on its way.
     */
    private List<String> nicEventsSoFar() {
        testMonitor.execute("query-status");
        List<String> names = new ArrayList<>();
        Optional<JsonNode> event;
        while ((event = testMonitor.pollEvent(EVENT, Duration.ZERO)).isPresent()) {
            names.add(event.get().path("data").path("name").asText());
        }
        return names;
    }

    /** The plugin jar this module packaged, which failsafe names in {@value #PLUGIN_JAR_PROPERTY}. */
    private static Path packagedPluginJar() {
        Path jar = Path.of(System.getProperty(PLUGIN_JAR_PROPERTY));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(PLUGIN_JAR_PROPERTY + " names " + jar + ", which is not a file");
        }
        return jar;
    }
}
