package io.qeventd.plugins.guestsignals;

import static org.assertj.core.api.Assertions.assertThat;

import io.qeventd.events.MemoryFailure;
import io.qeventd.events.MemoryFailureAction;
import io.qeventd.events.MemoryFailureFlags;
import io.qeventd.events.MemoryFailureRecipient;
import io.qeventd.runtime.journal.JournalRecord;
import io.qeventd.runtime.journal.Outcome;
import io.qeventd.testkit.PluginHarness;
import io.qeventd.testkit.qmp.FakeQmpServer;
import io.qeventd.testkit.qmp.Reply;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The handlers in the daemon's pipeline on recorded QMP lines, for what no machine here can make QEMU send:
 * MEMORY_FAILURE needs a host whose memory reports a hardware error (machine-check) to QEMU.
 */
class GuestSignalHandlersTest {
    private static final Duration DEADLINE = Duration.ofSeconds(10);
    /** As QEMU 7.2 sends it after a machine-check it cannot hand the guest (qapi/run-state.json's example). */
    private static final String MEMORY_FAILURE_LINE = "{\"event\": \"MEMORY_FAILURE\", \"data\": {\"action\": \"fatal\","
            + " \"recipient\": \"hypervisor\", \"flags\": {\"action-required\": false, \"recursive\": false}},"
            + " \"timestamp\": {\"seconds\": 1267061043, \"microseconds\": 959568}}\r\n";

    @TempDir
    Path dir;

    @Test
    void balloonSizeIsReadFromQemuNotTakenFromTheEventsWhichQemuThrottles() throws Exception {
        GuestSignalTable table = new GuestSignalTable();
        try (FakeQmpServer qemu = FakeQmpServer.start(dir.resolve("qmp.sock"));
             PluginHarness pipeline = PluginHarness.builder().workers(2).queueLimit(64).build()) {
            GuestSignalHandlers handlers = new GuestSignalHandlers(new GuestSignalSettings(null, Map.of()), table,
                    pipeline.sharedState("guest-signals", getClass().getClassLoader()));
            // What the balloon is now; the events below carry sizes QEMU has already moved past.
            qemu.respond("query-balloon", args -> Reply.ok(Map.of("actual", 192L * 1024 * 1024)));
            pipeline.register("guest-signals", "1.0.0", handlers.handlers());
            pipeline.attach("vm1", qemu.socket());
            qemu.awaitClient(DEADLINE);

            for (long mib : List.of(250L, 230L, 210L)) {
                qemu.emit("BALLOON_CHANGE", Map.of("actual", mib * 1024 * 1024));
            }

            pipeline.journal().await(r -> r.event().equals("BALLOON_CHANGE")
                    && r.outcome() != Outcome.SLOW, 3, DEADLINE);
            assertThat(pipeline.journal().records(r -> r.event().equals("BALLOON_CHANGE")
                    && r.outcome() == Outcome.PROCESSED)).allSatisfy(r -> assertThat(r.actions())
                    .containsExactly("balloon: guest memory 192 MiB"));
            assertThat(table.of("vm1").balloonBytes()).isEqualTo(192L * 1024 * 1024);
        }
    }

    @Test
    void memoryFailureIsKeptWithWhatQemuDidAndWhen() throws Exception {
        GuestSignalTable table = new GuestSignalTable();
        try (FakeQmpServer qemu = FakeQmpServer.start(dir.resolve("qmp.sock"));
             PluginHarness pipeline = PluginHarness.builder().workers(2).queueLimit(64).build()) {
            ClassLoader loader = getClass().getClassLoader();
            GuestSignalHandlers handlers = new GuestSignalHandlers(new GuestSignalSettings(null, Map.of()), table,
                    pipeline.sharedState("guest-signals", loader));
            pipeline.register("guest-signals", "1.0.0", handlers.handlers());
            pipeline.attach("vm1", qemu.socket());
            qemu.awaitClient(DEADLINE);

            qemu.sendRaw(MEMORY_FAILURE_LINE);

            JournalRecord record = pipeline.journal().awaitOne(r -> r.event().equals("MEMORY_FAILURE"), DEADLINE);
            assertThat(record.outcome()).isEqualTo(Outcome.PROCESSED);
            assertThat(record.type()).isEqualTo("MEMORY_FAILURE");
            assertThat(record.actions()).containsExactly("memory failure for the hypervisor: QEMU action fatal");
            GuestSignals signals = pipeline.sharedState("reader", loader).get("vm1", GuestSignalHandlers.SIGNALS)
                    .orElseThrow();
            assertThat(signals).isEqualTo(table.of("vm1"));
            assertThat(signals.memoryFailure()).isEqualTo(new MemoryFailure(MemoryFailureRecipient.HYPERVISOR,
                    MemoryFailureAction.FATAL, new MemoryFailureFlags(false, false)));
            assertThat(signals.memoryFailureAt()).isEqualTo(Instant.ofEpochSecond(1267061043, 959568000));
            assertThat(signals.statusFields()).containsEntry("memory failure", "hypervisor/fatal");
        }
    }
}
