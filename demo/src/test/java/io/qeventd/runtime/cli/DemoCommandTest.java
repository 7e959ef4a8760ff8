package io.qeventd.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.qeventd.testkit.QeventdCli;
import io.qeventd.testkit.vm.DaemonPlugins;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {
    /** Every kind of event the scenario makes QEMU send. */
    private static final List<String> SCENARIO_EVENTS = List.of("RESUME", "STOP", "RESET", "POWERDOWN", "SHUTDOWN",
            "NIC_RX_FILTER_CHANGED", "DEVICE_DELETED", "JOB_STATUS_CHANGE", "BLOCK_JOB_READY", "BLOCK_JOB_COMPLETED",
            "MIGRATION", "MIGRATION_PASS");

    @TempDir
    Path dir;

    @Test
    void withoutPluginsEveryEventIsShownUnhandledAndTheDemoStillSucceeds() throws Exception {
        Path empty = Files.createDirectory(dir.resolve("plugins"));

        QeventdCli cli = QeventdCli.run("demo", "--pace", "0ms", "--view", "plain", "--plugins", empty.toString());

        assertThat(cli.exit()).as(cli.err()).isEqualTo(Main.OK);
        assertThat(cli.out()).contains("3 simulated QEMU 7.2 VMs")
                .contains("plugins: none found in " + empty)
                .contains("web-1  > operator starts the VM (cont)")
                .contains("db-1     event BLOCK_JOB_READY -> unhandled (no plugin takes BLOCK_JOB_READY)")
                .contains("Summary after")
                .containsPattern("every event QEMU sent \\(\\d+\\) reached the daemon");
        for (String event : SCENARIO_EVENTS) {
            assertThat(cli.out()).contains("event " + event + " -> unhandled");
        }
        assertThat(cli.out()).containsPattern("web-1 +\\d+ +shutdown")
                .containsPattern("app-1 +\\d+ +shutdown")
                .containsPattern("db-1 +\\d+ +shutdown");
        assertThat(cli.err()).isEmpty();
    }

    @Test
    void pluginsGivenWithPluginsRunOnTopOfTheBuiltIns() throws Exception {
        Path builtIns = Files.createDirectories(dir.resolve("home/plugins"));
        DaemonPlugins.runState(builtIns);
        Path added = Files.createDirectory(dir.resolve("added"));
        DaemonPlugins.slowWork(added);
        String home = System.getProperty("qeventd.home");
        System.setProperty("qeventd.home", dir.resolve("home").toString());
        QeventdCli cli;
        try {
            cli = QeventdCli.run("demo", "--pace", "0ms", "--view", "plain", "--plugins", added.toString());
        } finally {
            if (home == null) {
                System.clearProperty("qeventd.home");
            } else {
                System.setProperty("qeventd.home", home);
            }
        }

        assertThat(cli.exit()).as(cli.err()).isEqualTo(Main.OK);
        assertThat(cli.out()).contains("plugins from " + added + ", " + builtIns + ":")
                .contains("run-state 1.0.0, for RESUME, STOP")
                .contains("slow-work 1.0.0, for WORK")
                .contains("app-1    event STOP -> run-state: processed in");
    }

    @Test
    void aPluginsEventsAreProcessedAndCountedAndTheJournalIsKept() throws Exception {
        Path plugins = Files.createDirectory(dir.resolve("plugins"));
        DaemonPlugins.runState(plugins);
        Path journal = dir.resolve("demo.jsonl");

        QeventdCli cli = QeventdCli.run("demo", "--pace", "0ms", "--view", "plain", "--plugins", plugins.toString(),
                "--journal", journal.toString());

        assertThat(cli.exit()).as(cli.err()).isEqualTo(Main.OK);
        assertThat(cli.out()).contains("run-state 1.0.0, for RESUME, STOP")
                .contains("app-1    event STOP -> run-state: processed in")
                .contains("[saw STOP]")
                .containsPattern("JOB_STATUS_CHANGE -> unhandled");
        // Five VM starts and resumes, three stops (one of them by the migration).
        assertThat(cli.out()).containsPattern("run-state +1\\.0\\.0 +started +8 +0");
        List<String> lines = Files.readAllLines(journal);
        ObjectMapper json = new ObjectMapper();
        long processed = 0;
        for (String line : lines) {
            if (json.readTree(line).get("outcome").asText().equals("processed")) {
                processed++;
            }
        }
        assertThat(processed).isEqualTo(8);
        assertThat(cli.out()).contains("outcomes: processed 8,");
    }

    @Test
    void aNicPluginReadsTheFilterAndItsHostChangesArePrintedNotMade() throws Exception {
        Path plugins = Files.createDirectory(dir.resolve("plugins"));
        DaemonPlugins.mirrorMac(plugins);

        // A pace that leaves the plugin time to read each filter, so that QEMU reports the next change.
        QeventdCli cli = QeventdCli.run("demo", "--pace", "500ms", "--view", "plain", "--plugins", plugins.toString());

        assertThat(cli.exit()).as(cli.err()).isEqualTo(Main.OK);
        assertThat(cli.out()).contains("web-1    event NIC_RX_FILTER_CHANGED -> mirror-mac: processed in")
                .contains("host   dry-run: would set the MAC of macvtap-web-1 (daemon's netns) to 52:54:00:ab:cd:ef")
                .contains("host   dry-run: would turn promiscuous mode on for macvtap-web-1 (daemon's netns)")
                .contains("[mac 52:54:00:ab:cd:ef]")
                .doesNotContain("QEMU stays silent")
                .contains("host network changes the plugins would have made (dry run): 2");
    }

    @Test
    void realQemuPlaysTheSameStoryAndLeavesNoProcessBehind() throws Exception {
        Path empty = Files.createDirectory(dir.resolve("plugins"));

        QeventdCli cli = QeventdCli.run("demo", "--qemu", "--pace", "0ms", "--view", "plain", "--plugins", empty.toString());

        assertThat(cli.exit()).as(cli.out() + cli.err()).isEqualTo(Main.OK);
        assertThat(cli.out()).contains("3 real QEMU instances")
                .contains("web-1    event DEVICE_DELETED -> unhandled")
                .contains("db-1     event BLOCK_JOB_COMPLETED -> unhandled")
                .contains("app-1    event MIGRATION -> unhandled")
                .contains("app-1    event MIGRATION_PASS -> unhandled")
                .contains("skipped: QEMU reports filter changes only when a guest driver makes them")
                .containsPattern("every event QEMU sent \\(\\d+\\) reached the daemon");
        assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .map(p -> p.info().command().orElse("?"))).noneMatch(c -> c.contains("qemu"));
    }

    @Test
    void badDemoOptionsAreUsageErrors() {
        assertThat(QeventdCli.run("demo", "--view", "sideways").exit()).isEqualTo(Main.USAGE);
        QeventdCli negative = QeventdCli.run("demo", "--pace", "PT-1S");
        assertThat(negative.exit()).isEqualTo(Main.USAGE);
        assertThat(negative.err()).contains("--pace must not be negative");
    }
}
