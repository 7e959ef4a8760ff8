package ${package};

import static org.assertj.core.api.Assertions.assertThat;

import io.qeventd.runtime.journal.JournalRecord;
import io.qeventd.runtime.plugin.PluginInspection;
import io.qeventd.testkit.qmp.Reply;
import io.qeventd.testkit.FakeQemu;
import io.qeventd.testkit.PluginHarness;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The packaged jar as the daemon takes it: checked, loaded into a class loader of its own, fed by a fake QEMU. */
class RunStatePluginIT {
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @RegisterExtension
    final FakeQemu qemu = new FakeQemu();

    @Test
    void theJarPassesTheDaemonsCheck() {
        try (PluginHarness harness = PluginHarness.start()) {
            PluginInspection check = harness.check(PluginHarness.packagedJar());

            assertThat(check.problems()).isEmpty();
            assertThat(check.warnings()).isEmpty();
            assertThat(check.id()).isEqualTo("${pluginId}");
        }
    }

    @Test
    void theLoadedJarReportsTheRunStateOfEachStopAndResume() throws Exception {
        try (PluginHarness harness = PluginHarness.start()) {
            harness.loadStarted(PluginHarness.packagedJar());
            qemu.server().respond("query-status", args -> Reply.ok(Map.of("status", "running", "running", true)));
            harness.attach("vm1", qemu.socket());

            qemu.server().emit("RESUME", null);

            JournalRecord r = harness.journal().awaitOne(x -> "${pluginId}".equals(x.plugin()), DEADLINE);
            assertThat(r.type()).isEqualTo("RESUMED");
            assertThat(r.actions()).containsExactly("status running");
        }
    }
}
