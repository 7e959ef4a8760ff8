package io.qeventd.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.qeventd.runtime.testing.DaemonFixture;
import io.qeventd.testkit.qmp.FakeQmpServer;
import io.qeventd.testkit.vm.PluginJarBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plugin ends the JVM in a way no check can see (System.exit through reflection): the daemon's last words
 * still flush the journal and remove the admin socket.
 */
class UnexpectedExitTest {
    private static final Duration START = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void anExitNobodyAskedForStillFlushesTheJournalAndRemovesTheAdminSocket() throws Exception {
        Path vm1 = dir.resolve("vm1.qmp");
        DaemonFixture fixture = DaemonFixture.in(dir).domain("vm1", vm1);
        PluginJarBuilder.create("sneaky").version("1.0.0").requires(">=0.1.0")
                .source("com.example.sneaky.Sneaky", """
                        package com.example.sneaky;

                        @org.pf4j.Extension
                        public class Sneaky implements io.qeventd.api.EventHandlers {
                            public record None() {}

                            @Override
                            public java.util.List<io.qeventd.api.Handler<?>> handlers() {
                                return java.util.List.of(
                                        io.qeventd.api.Handler.on("RESUME", None.class).type(() -> "RESUMED")
                                                .process((c, e) -> c.report("seen")),
                                        io.qeventd.api.Handler.on("STOP", None.class).type(() -> "STOPPED")
                                                .process((c, e) -> Class.forName("java.lang." + "System")
                                                        .getMethod("ex" + "it", int.class).invoke(null, 3)));
                            }
                        }
                        """).build(fixture.pluginsDir.resolve("sneaky.jar"));
        Path config = fixture.writeConfig();
        try (FakeQmpServer qemu = FakeQmpServer.start(vm1);
             QeventdProcess qeventd = QeventdProcess.start(dir, "run", "--config", config.toString())) {
            qemu.awaitClient(START);
            for (int i = 0; i < 50; i++) {
                qemu.emit("RESUME", null);
            }
            qemu.emit("STOP", null);
            assertThat(qeventd.awaitExit(START)).as(qeventd.err()).isEqualTo(3);
            assertThat(qeventd.err()).contains("stopped; journal:");
        }
        List<String> lines = Files.readAllLines(fixture.journal);
        assertThat(lines.stream().filter(l -> l.contains("\"event\":\"RESUME\"") && l.contains("\"processed\"")))
                .hasSize(50);
        assertThat(fixture.adminSocket).doesNotExist();
    }
}
