package io.qeventd.runtime.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.qeventd.runtime.admin.PluginSummary;
import io.qeventd.runtime.admin.StatusTable;
import io.qeventd.runtime.plugin.PluginLifecycle;
import io.qeventd.runtime.testing.DaemonFixture;
import io.qeventd.testkit.qmp.FakeQmpServer;
import io.qeventd.testkit.vm.Eventually;
import io.qeventd.testkit.vm.PluginJarBuilder;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A plugin whose processor never returns shows as wedged in status, and the daemon still stops in time. */
class WedgedPluginStatusTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    /** Plugin {@code stuck}: its STOP processor ignores interrupts for a minute. */
    private static void stuckPlugin(Path pluginsDir) throws Exception {
        PluginJarBuilder.create("stuck").version("1.0.0").requires(">=0.1.0")
                .source("com.example.stuck.Stuck", """
                        package com.example.stuck;

                        @org.pf4j.Extension
                        public class Stuck implements io.qeventd.api.EventHandlers {
                            public record Stop() {}

                            @Override
                            public java.util.List<io.qeventd.api.Handler<?>> handlers() {
                                return java.util.List.of(io.qeventd.api.Handler.on("STOP", Stop.class)
                                        .type(() -> "STOPPED").process((c, e) -> {
                                            long end = System.nanoTime() + 60_000_000_000L;
                                            while (System.nanoTime() < end) {
                                                try {
                                                    Thread.sleep(100);
                                                } catch (InterruptedException ignored) {
                                                    // will not be stopped
                                                }
                                            }
                                        }));
                            }
                        }
                        """).build(pluginsDir.resolve("stuck.jar"));
    }

    @Test
    void aProcessorStillRunningAtStopGetsARecordAndDoesNotHoldTheStop() throws Exception {
        Path vm1 = dir.resolve("vm1.qmp");
        try (FakeQmpServer qemu = FakeQmpServer.start(vm1);
             DaemonFixture fixture = DaemonFixture.in(dir).domain("vm1", vm1)) {
            stuckPlugin(fixture.pluginsDir);
            Daemon daemon = fixture.start();
            qemu.awaitClient(WAIT);
            qemu.emit("STOP", null);
            Eventually.await("the processor runs", WAIT, () -> daemon.queue().depth("vm1") == 0
                    && daemon.status().outcomes().get("slow") == 0 && daemon.domains().get("vm1").orElseThrow()
                    .job().isHeld());
            long started = System.nanoTime();
            daemon.stop(Duration.ofSeconds(1));
            // Neither the plugin's drain timeout (30 s) nor processTimeout (30 s) holds the stop.
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
            assertThat(java.nio.file.Files.readString(fixture.journal))
                    .contains("daemon stopped while the processor still ran");
        }
    }

    @Test
    void aProcessorThatNeverReturnsShowsItsPluginWedgedInStatus() throws Exception {
        Path vm1 = dir.resolve("vm1.qmp");
        try (FakeQmpServer qemu = FakeQmpServer.start(vm1);
             DaemonFixture fixture = DaemonFixture.in(dir).domain("vm1", vm1).yaml("processTimeout: 300ms\n")) {
            stuckPlugin(fixture.pluginsDir);
            Daemon daemon = fixture.start();
            qemu.awaitClient(WAIT);
            qemu.emit("STOP", null);
            Eventually.await("stuck is wedged", WAIT, () -> daemon.status().plugins().stream()
                    .anyMatch(p -> p.state() == PluginLifecycle.WEDGED));
            PluginSummary row = daemon.status().plugins().stream().filter(p -> p.id().equals("stuck")).findFirst()
                    .orElseThrow();
            assertThat(row.error()).contains("wedged: a processor on STOP of domain 'vm1' did not return");
            assertThat(StatusTable.lines(daemon.status())).anySatisfy(l -> assertThat(l).contains("wedged"));
            long started = System.nanoTime();
            daemon.stop(Duration.ofSeconds(2));
            // The stuck processor does not hold the stop for the plugin's drain timeout (30 s by default).
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
        }
    }
}
