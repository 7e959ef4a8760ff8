package io.qeventd.runtime.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.qeventd.runtime.admin.StatusReport;
import io.qeventd.runtime.admin.StatusTable;
import io.qeventd.runtime.journal.Outcome;
import io.qeventd.runtime.plugin.PluginHost;
import io.qeventd.runtime.testing.Pipeline;
import io.qeventd.testkit.qmp.FakeQmpServer;
import io.qeventd.testkit.vm.Eventually;
import io.qeventd.testkit.vm.PluginJarBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pf4j.RuntimeMode;

/** A real plugin jar, loaded by the plugin host, publishes state through its injected SharedState. */
class SharedStateInPluginTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    /** Unique, since plugins loaded by a host publish into the process's shared registry. */
    private static final String ID = "state-probe";

    @TempDir
    Path tmp;

    private Pipeline pipeline;
    private PluginHost host;
    private FakeQmpServer qemu;

    @BeforeEach
    void setUp() throws Exception {
        pipeline = new Pipeline(Pipeline.options(2, 1000));
        host = new PluginHost(pipeline.registry, pipeline.domains, pipeline.queue, pipeline.host, Map.of(),
                tmp.resolve("staging"), RuntimeMode.DEPLOYMENT, Duration.ofSeconds(10));
        pipeline.registry.onUnregister(StateRegistry.shared()::releasePlugin);
        qemu = FakeQmpServer.start(tmp.resolve("vm1.qmp"));
        pipeline.attach("vm1", qemu.socket()).monitor().firstConnect().get(10, TimeUnit.SECONDS);
        qemu.awaitClient(DEADLINE);
    }

    @AfterEach
    void tearDown() {
        host.close();
        qemu.close();
        pipeline.close();
    }

    private static PluginJarBuilder probe(String version) {
        return PluginJarBuilder.create(ID).version(version).requires(">=0.1.0")
                .source("com.example.probe.ProbeHandlers", """
                        package com.example.probe;

                        import io.qeventd.api.EventHandlers;
                        import io.qeventd.api.EventType;
                        import io.qeventd.api.Handler;
                        import io.qeventd.api.state.SharedState;
                        import io.qeventd.api.state.StateKey;
                        import io.qeventd.api.state.StatusFields;
                        import jakarta.inject.Inject;
                        import java.util.List;
                        import java.util.Map;
                        import org.pf4j.Extension;

                        @Extension
                        public class ProbeHandlers implements EventHandlers {
                            public enum T implements EventType { STOPPED }
                            public record Stopped() {}
                            public record Seen(String event, String version) implements StatusFields {
                                public Map<String, Object> statusFields() {
                                    Map<String, Object> m = new java.util.LinkedHashMap<>();
                                    m.put("last", event);
                                    m.put("version", version);
                                    return m;
                                }
                            }
                            static final StateKey<Seen> SEEN = StateKey.of("state-probe.seen", Seen.class);

                            private final SharedState state;

                            @Inject
                            public ProbeHandlers(SharedState state) {
                                this.state = state;
                            }

                            @Override
                            public List<Handler<?>> handlers() {
                                return List.of(Handler.on("STOP", Stopped.class).type(T.STOPPED).process((ctx, e) -> {
                                    state.publish(ctx.domain().name(), SEEN, new Seen(e.name(), "%s"));
                                    ctx.report("published");
                                }));
                            }
                        }
                        """.formatted(version));
    }

    @Test
    void aPluginsPublishedStateShowsInStatusAndGoesWhenThePluginIsReloadedOrUnloaded() throws Exception {
        Path jar = probe("1.0.0").build(tmp.resolve("probe.jar"));
        assertThat(host.load(jar).error()).isNull();
        qemu.emit("STOP", null);
        pipeline.recorded.awaitOne(r -> ID.equals(r.plugin()) && r.outcome() == Outcome.PROCESSED, DEADLINE);

        assertThat(StateRegistry.shared().snapshot().get(ID))
                .isEqualTo(Map.of("state-probe.seen", Map.of("vm1", Map.of("last", "STOP", "version", "1.0.0"))));
        StatusReport report = new StatusReport("1", 1, "2026-01-01T00:00:00Z", 1, List.of(), List.of(), Map.of(),
                Map.of(), null, StateRegistry.shared().snapshot(), Map.of());
        assertThat(StatusTable.lines(report)).containsSequence("plugin " + ID + ":", "  state-probe.seen",
                "    DOMAIN  LAST  VERSION", "    vm1     STOP  1.0.0");
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(report))
                .contains("\"pluginState\":{\"" + ID + "\":{\"state-probe.seen\":{\"vm1\":{\"last\":\"STOP\"");

        // A reload withdraws what the old version published: its values would pin its class loader.
        probe("1.0.1").build(jar);
        assertThat(host.reload(jar).error()).isNull();
        assertThat(StateRegistry.shared().snapshot()).doesNotContainKey(ID);
        qemu.emit("STOP", null);
        Eventually.await("the new version publishes", DEADLINE, () -> StateRegistry.shared().snapshot()
                .getOrDefault(ID, Map.of()).toString().contains("1.0.1"));

        host.unload(ID);
        assertThat(StateRegistry.shared().snapshot()).doesNotContainKey(ID);
    }
}
