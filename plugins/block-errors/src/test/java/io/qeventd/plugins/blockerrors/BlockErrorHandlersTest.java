package io.qeventd.plugins.blockerrors;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.qeventd.runtime.admin.PluginCommands;
import io.qeventd.runtime.journal.Outcome;
import io.qeventd.testkit.PluginHarness;
import io.qeventd.testkit.qmp.FakeQmpServer;
import io.qeventd.testkit.qmp.Reply;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code space-added} does in each run state, in the daemon's pipeline on a fake QEMU whose run state the
 * test sets (the real pause on ENOSPC is in BlockErrorsIT).
 */
class BlockErrorHandlersTest {
    private static final Duration DEADLINE = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private volatile String runState = "running";

    @Test
    void guestIsResumedOnlyWhenPausedOnAnIoErrorAndTheResumePolicyIsOn() throws Exception {
        try (FakeQmpServer qemu = FakeQmpServer.start(dir.resolve("qmp.sock"));
             PluginHarness pipeline = PluginHarness.builder().workers(2).queueLimit(16).build()) {
            PluginCommands commands = attach(qemu, pipeline, true);

            assertThat(spaceAdded(commands).actions())
                    .containsExactly("not paused on an I/O error (run state running); not resumed");
            runState = "io-error";
            PluginCommands.Result resumed = spaceAdded(commands);

            assertThat(resumed.outcome()).isEqualTo("processed");
            assertThat(resumed.actions()).containsExactly("resumed (cont) after space was added");
            assertThat(qemu.received()).extracting(c -> c.command()).containsOnlyOnce("cont");
        }
    }

    @Test
    void withoutTheResumePolicyTheGuestIsLeftPaused() throws Exception {
        runState = "io-error";
        try (FakeQmpServer qemu = FakeQmpServer.start(dir.resolve("qmp.sock"));
             PluginHarness pipeline = PluginHarness.builder().workers(2).queueLimit(16).build()) {
            PluginCommands commands = attach(qemu, pipeline, false);

            assertThat(spaceAdded(commands).actions())
                    .containsExactly("resume not configured (resumeWhenSpaceAdded: false); the guest is left as it is");
            assertThat(qemu.received()).extracting(c -> c.command()).doesNotContain("cont");
        }
    }

    @Test
    void firedThresholdStaysDisarmedAfterAResetUntilTheOperatorsWord() throws Exception {
        try (FakeQmpServer qemu = FakeQmpServer.start(dir.resolve("qmp.sock"));
             PluginHarness pipeline = PluginHarness.builder().workers(2).queueLimit(16).build()) {
            PluginCommands commands = attach(qemu, pipeline, false, Map.of("disk0", 1_048_576L));
            assertThat(armed(qemu)).as("armed on connect").isEqualTo(1);

            qemu.emit("BLOCK_WRITE_THRESHOLD", Map.of("node-name", "disk0", "amount-exceeded", 4096,
                    "write-threshold", 1_048_576));
            qemu.emit("RESET", Map.of("guest", false, "reason", "host-qmp-system-reset"));
            pipeline.journal().awaitOne(r -> r.event().equals("resync/RESET") && r.outcome() != Outcome.SLOW,
                    DEADLINE);
            assertThat(armed(qemu)).as("not re-armed by the reset").isEqualTo(1);

            assertThat(spaceAdded(commands).actions()).startsWith("disk0: write threshold re-armed at 1048576");
            assertThat(armed(qemu)).isEqualTo(2);
        }
    }

    private static long armed(FakeQmpServer qemu) {
        return qemu.received().stream().filter(c -> c.command().equals("block-set-write-threshold")).count();
    }

    private PluginCommands attach(FakeQmpServer qemu, PluginHarness pipeline, boolean resume) throws Exception {
        return attach(qemu, pipeline, resume, Map.of());
    }

    private PluginCommands attach(FakeQmpServer qemu, PluginHarness pipeline, boolean resume,
                                  Map<String, Long> thresholds) throws Exception {
        qemu.respond("query-status", args -> Reply.ok(Map.of("status", runState, "running", false)));
        qemu.respond("cont", args -> Reply.ok());
        qemu.respond("block-set-write-threshold", args -> Reply.ok());
        BlockErrorHandlers handlers = new BlockErrorHandlers(new BlockErrorSettings(resume, thresholds, Map.of()),
                pipeline.sharedState("block-errors", getClass().getClassLoader()));
        pipeline.register("block-errors", "1.0.0", handlers.handlers());
        pipeline.attach("vm1", qemu.socket());
        pipeline.journal().awaitOne(r -> r.event().equals("resync/CONNECTED") && r.outcome() != Outcome.SLOW, DEADLINE);
        return pipeline.pluginCommands(DEADLINE);
    }

    private static PluginCommands.Result spaceAdded(PluginCommands commands) throws Exception {
        return commands.run(JSON.valueToTree(Map.of("plugin", "block-errors", "command", "space-added",
                "domain", "vm1")));
    }
}
