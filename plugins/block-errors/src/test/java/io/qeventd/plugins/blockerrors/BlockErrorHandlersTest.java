package io.qeventd.plugins.blockerrors;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.qeventd.runtime.admin.PluginCommands;
import io.qeventd.runtime.journal.Outcome;
import io.qeventd.runtime.sim.FakeQmpServer;
import io.qeventd.runtime.sim.Reply;
import io.qeventd.runtime.testing.Pipeline;
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
             Pipeline pipeline = new Pipeline(Pipeline.options(2, 16))) {
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
             Pipeline pipeline = new Pipeline(Pipeline.options(2, 16))) {
            PluginCommands commands = attach(qemu, pipeline, false);

            assertThat(spaceAdded(commands).actions())
                    .containsExactly("resume not configured (resumeWhenSpaceAdded: false); the guest is left as it is");
            assertThat(qemu.received()).extracting(c -> c.command()).doesNotContain("cont");
        }
    }

    private PluginCommands attach(FakeQmpServer qemu, Pipeline pipeline, boolean resume) throws Exception {
        qemu.respond("query-status", args -> Reply.ok(Map.of("status", runState, "running", false)));
        qemu.respond("cont", args -> Reply.ok());
        BlockErrorHandlers handlers = new BlockErrorHandlers(new BlockErrorSettings(resume, Map.of(), Map.of()),
                pipeline.states.forPlugin("block-errors", getClass().getClassLoader()));
        pipeline.register("block-errors", "1.0.0", handlers.handlers());
        pipeline.attach("vm1", qemu.socket());
        pipeline.recorded.awaitOne(r -> r.event().equals("resync/CONNECTED") && r.outcome() != Outcome.SLOW, DEADLINE);
        return new PluginCommands(pipeline.registry, pipeline.domains, pipeline.queue, pipeline.journal, DEADLINE);
    }

    private static PluginCommands.Result spaceAdded(PluginCommands commands) throws Exception {
        return commands.run(JSON.valueToTree(Map.of("plugin", "block-errors", "command", "space-added",
                "domain", "vm1")));
    }
}
