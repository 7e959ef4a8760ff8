package io.qeventd.runtime.record;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.qeventd.runtime.journal.JournalRecord;
import io.qeventd.runtime.journal.Outcome;
import io.qeventd.runtime.plugin.PluginHost;
import io.qeventd.runtime.testing.Pipeline;
import io.qeventd.testkit.vm.PluginJarBuilder;
import io.qeventd.testkit.vm.Qemu;
import io.qeventd.testkit.vm.QemuRawQmp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pf4j.RuntimeMode;

/**
 * A real QEMU's stream recorded while the daemon's pipeline, with a plugin that asks QEMU for its run state on
 * every STOP and RESUME, runs through the recorder; then the recording replayed into a fresh pipeline with the same
 * plugin, whose commands are answered from the recording.
 */
class RecordReplayTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final String PLUGIN = "run-state-report";

    @TempDir
    Path tmp;

    /** A plugin that reports QEMU's status (from query-status) for each STOP and RESUME. */
    private Path plugin() {
        return PluginJarBuilder.create(PLUGIN).version("1.0.0").requires(">=0.1.0")
                .source("com.example.rs.RunStateHandlers", """
                        package com.example.rs;

                        import io.qeventd.api.EventHandlers;
                        import io.qeventd.api.EventType;
                        import io.qeventd.api.Handler;
                        import java.util.List;
                        import java.util.Map;
                        import org.pf4j.Extension;

                        @Extension
                        public class RunStateHandlers implements EventHandlers {
                            enum T implements EventType { STOPPED, RESUMED }
                            public record None() {}

                            @Override
                            public List<Handler<?>> handlers() {
                                return List.of(
                                        Handler.on("STOP", None.class).type(T.STOPPED).process((c, e) -> report(c)),
                                        Handler.on("RESUME", None.class).type(T.RESUMED).process((c, e) -> report(c)));
                            }

                            private static void report(io.qeventd.api.ProcessContext c) {
                                Map<?, ?> s = (Map<?, ?>) c.monitor().execute("query-status");
                                c.report("status " + s.get("status") + ", running " + s.get("running"));
                            }
                        }
                        """).build(tmp.resolve(PLUGIN + ".jar"));
    }

    private static PluginHost host(Pipeline pipeline, Path staging) {
        return new PluginHost(pipeline.registry, pipeline.domains, pipeline.queue, pipeline.host, Map.of(), staging,
                RuntimeMode.DEPLOYMENT, Duration.ofSeconds(10));
    }

    /** What a replay must reproduce: per outcome its event, plugin, type, outcome and actions. */
    private static List<String> outcomes(List<JournalRecord> records) {
        return records.stream().filter(r -> PLUGIN.equals(r.plugin()))
                .map(r -> r.event() + " " + r.type() + " " + r.outcome().journalName() + " " + r.actions()).toList();
    }

    @Test
    void aRecordingOfARealQemuReplaysIntoThePluginWithIdenticalOutcomes() throws Exception {
        Path jar = plugin();
        Path recordingFile = tmp.resolve("vm1.qmp.jsonl");
        List<String> recorded;
        try (Qemu qemu = Qemu.builder().paused().qmpSocket("daemon").qmpSocket("test").start();
             QmpRecorder recorder = QmpRecorder.start(qemu.qmpSocket("daemon"), recordingFile, tmp.resolve("rec.sock"));
             Pipeline pipeline = new Pipeline(Pipeline.options(2, 1000));
             PluginHost host = host(pipeline, tmp.resolve("staging-1"));
             QemuRawQmp test = QemuRawQmp.connect(qemu.qmpSocket("test"), DEADLINE)) {
            assertThat(host.load(jar).error()).isNull();
            pipeline.attach("vm1", tmp.resolve("rec.sock")).monitor().firstConnect().get(10, TimeUnit.SECONDS);

            // One step at a time: the processor asks for the state QEMU is in when it runs.
            int step = 0;
            for (String command : List.of("cont", "stop", "cont")) {
                test.execute(command);
                pipeline.recorded.await(r -> PLUGIN.equals(r.plugin()) && r.outcome() == Outcome.PROCESSED, ++step,
                        DEADLINE);
            }
            recorded = outcomes(pipeline.recorded.records());
            test.execute("quit");
            recorder.finished().get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        }
        assertThat(recorded).containsExactly(
                "RESUME RESUMED processed [status running, running true]",
                "STOP STOPPED processed [status paused, running false]",
                "RESUME RESUMED processed [status running, running true]");

        Recording recording = Recording.read(recordingFile);
        assertThat(recording.events()).extracting(l -> l.qmp().path("event").asText())
                .containsSubsequence("RESUME", "STOP", "RESUME", "SHUTDOWN");
        assertThat(recording.lines()).filteredOn(RecordedLine::isCommand).extracting(RecordedLine::command)
                .contains("query-status");

        try (Pipeline pipeline = new Pipeline(Pipeline.options(2, 1000));
             PluginHost host = host(pipeline, tmp.resolve("staging-2"));
             ReplayServer replay = ReplayServer.start(recording, ReplayServer.Pace.AS_FAST_AS_POSSIBLE,
                     tmp.resolve("replay.sock"))) {
            assertThat(host.load(jar).error()).isNull();
            pipeline.attach("vm1", replay.socket());
            assertThat(replay.played().get(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isEqualTo(recording.events().size());

            List<String> replayed = outcomes(pipeline.recorded.await(
                    r -> PLUGIN.equals(r.plugin()) && r.outcome() == Outcome.PROCESSED, 3, DEADLINE));
            assertThat(replayed).isEqualTo(recorded);
        }
    }

    @Test
    void passwordsAndSecretObjectsNeverReachTheRecording() {
        JsonNode command = Recording.MAPPER.valueToTree(Map.of("execute", "object-add", "arguments",
                Map.of("qom-type", "secret", "id", "sec0", "data", "hunter2")));
        JsonNode vnc = Recording.MAPPER.valueToTree(Map.of("execute", "set_password", "arguments",
                Map.of("protocol", "vnc", "password", "hunter2")));

        assertThat(Redaction.command(command).toString()).doesNotContain("hunter2").contains("\"id\":\"sec0\"")
                .contains(Redaction.REDACTED);
        assertThat(Redaction.command(vnc).toString()).doesNotContain("hunter2").contains("\"protocol\":\"vnc\"");
    }

    @Test
    void aFileThatIsNotARecordingIsRefusedNamingFileAndLine() throws Exception {
        Path file = Files.writeString(tmp.resolve("bad.jsonl"), "{\"at\":\"2026-12-02T04:00:00Z\",\"from\":\"qemu\","
                + "\"qmp\":{\"QMP\":{}}}\nnot json\n");

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Recording.read(file))
                .isInstanceOf(RecordingFormatException.class).hasMessageStartingWith(file + ":2: not JSON");
    }
}
