package io.qeventd.runtime.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.qeventd.runtime.daemon.Daemon;
import io.qeventd.runtime.plugin.PluginLifecycle;
import io.qeventd.runtime.plugin.PluginStatus;
import io.qeventd.runtime.testing.DaemonFixture;
import io.qeventd.runtime.testing.PluginJarBuilder;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reloads of real plugin jars, ok and failed, as the daemon's /metrics counts them; an unloaded plugin's series go. */
class MetricsPluginReloadTest {
    @TempDir
    Path dir;

    @Test
    void reloadsAreCountedOkOrFailedPerPluginAndAnUnloadedPluginLeavesNoSeries() throws Exception {
        try (DaemonFixture fixture = DaemonFixture.in(dir).yaml("metrics:\n  listen: 127.0.0.1:0")) {
            Path jar = stopHandler("1.0.0", fixture.pluginsDir.resolve("stop-handler.jar"));
            Daemon daemon = fixture.start();
            InetSocketAddress metrics = daemon.metricsAddress().orElseThrow();
            assertThat(reloads(metrics, "ok")).isZero();
            assertThat(reloads(metrics, "failed")).isZero();

            Path next = stopHandler("1.0.1", dir.resolve("next/stop-handler.jar"));
            Files.copy(next, jar, StandardCopyOption.REPLACE_EXISTING);
            PluginStatus reloaded = daemon.plugins().reload(jar);
            assertThat(reloaded.version()).isEqualTo("1.0.1");
            assertThat(reloaded.error()).isNull();
            assertThat(reloads(metrics, "ok")).isEqualTo(1);
            assertThat(reloads(metrics, "failed")).isZero();

            Files.writeString(jar, "not a jar");
            PluginStatus rejected = daemon.plugins().reload(jar);
            assertThat(rejected.state()).isEqualTo(PluginLifecycle.STARTED);
            assertThat(rejected.error()).isNotNull();
            assertThat(reloads(metrics, "ok")).isEqualTo(1);
            assertThat(reloads(metrics, "failed")).isEqualTo(1);

            daemon.plugins().unload("stop-handler");

            assertThat(Exposition.parse(MetricsPrometheusTest.scrape(metrics)).samples())
                    .noneMatch(s -> "stop-handler".equals(s.labels().get("plugin")));
        }
    }

    private static double reloads(InetSocketAddress metrics, String result) {
        return Exposition.parse(MetricsPrometheusTest.scrape(metrics)).named("qeventd_plugin_reloads_total").stream()
                .filter(s -> s.labels().equals(Map.of("plugin", "stop-handler", "result", result)))
                .findFirst().orElseThrow(() -> new AssertionError("no reloads series for " + result))
                .value();
    }

    private static Path stopHandler(String version, Path jar) throws Exception {
        Files.createDirectories(jar.getParent());
        return PluginJarBuilder.create("stop-handler").version(version).requires(">=0.1.0")
                .source("com.example.stophandler.StopHandlers", """
                        package com.example.stophandler;

                        import io.qeventd.api.EventHandlers;
                        import io.qeventd.api.EventType;
                        import io.qeventd.api.Handler;
                        import java.util.List;
                        import java.util.Map;
                        import org.pf4j.Extension;

                        @Extension
                        public class StopHandlers implements EventHandlers {
                            public enum Type implements EventType { STOPPED }

                            @Override
                            public List<Handler<?>> handlers() {
                                return List.of(Handler.on("STOP", Map.class).type(Type.STOPPED)
                                        .process((ctx, e) -> ctx.report("%s saw STOP")));
                            }
                        }
                        """.formatted(version))
                .build(jar);
    }
}
