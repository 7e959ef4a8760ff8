package io.qeventd.plugins.devices;

import static org.assertj.core.api.Assertions.assertThat;

import io.qeventd.runtime.state.StateRegistry;
import io.qeventd.testkit.PluginHarness;
import io.qeventd.testkit.vm.Eventually;
import io.qeventd.testkit.vm.PluginJarBuilder;
import io.qeventd.testkit.vm.Qemu;
import io.qeventd.testkit.vm.QemuRawQmp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged devices jar loaded as the daemon loads it, and a second real plugin jar that depends on it
 * ({@code Plugin-Dependencies: devices}) and deletes a USB tablet of a real QEMU through its service.
 */
class DevicesIT {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @TempDir
    Path tmp;

    private static PluginJarBuilder remover(Path devicesJar) {
        return PluginJarBuilder.create("remover").version("1.0.0").requires(">=0.1.0").dependencies("devices")
                .classpath(devicesJar)
                .source("com.example.remover.RemoverHandlers", """
                        package com.example.remover;

                        import io.qeventd.api.EventHandlers;
                        import io.qeventd.api.EventType;
                        import io.qeventd.api.Handler;
                        import io.qeventd.api.state.SharedState;
                        import io.qeventd.api.state.StateKey;
                        import io.qeventd.events.QemuEvents;
                        import io.qeventd.events.Resume;
                        import io.qeventd.plugins.devices.DeviceRemoval;
                        import jakarta.inject.Inject;
                        import java.time.Duration;
                        import java.util.List;
                        import org.pf4j.Extension;

                        @Extension
                        public class RemoverHandlers implements EventHandlers {
                            enum T implements EventType { RESUMED }
                            static final StateKey<String> RESULT = StateKey.of("remover.result", String.class);
                            private final SharedState state;

                            @Inject
                            public RemoverHandlers(SharedState state) {
                                this.state = state;
                            }

                            @Override
                            public List<Handler<?>> handlers() {
                                return List.of(Handler.on(QemuEvents.RESUME, Resume.class).type(T.RESUMED).process((ctx, e) -> {
                                    String domain = ctx.domain().name();
                                    state.service(DeviceRemoval.KEY).orElseThrow()
                                            .delete(ctx, "tablet0", Duration.ofSeconds(20))
                                            .whenComplete((d, err) -> state.publish(domain, RESULT,
                                                    d != null ? "deleted " + d.path() : "failed: " + err));
                                }));
                            }
                        }
                        """);
    }

    @Test
    void anotherPluginJarDeletesAUsbTabletThroughTheDevicesService() throws Exception {
        Path devicesJar = PluginHarness.packagedJar();
        Path removerJar = remover(devicesJar).build(tmp.resolve("remover.jar"));
        try (PluginHarness harness = PluginHarness.builder().workers(2).queueLimit(1000).build();
             Qemu qemu = Qemu.builder().paused().qmpSocket("daemon").qmpSocket("test")
                     .args("-device", "qemu-xhci,id=xhci").start();
             QemuRawQmp test = QemuRawQmp.connect(qemu.qmpSocket("test"), DEADLINE)) {
            StateRegistry states = harness.states();
            assertThat(harness.load(devicesJar).error()).isNull();
            assertThat(harness.load(removerJar).error()).isNull();
            assertThat(states.servicesByPlugin()).containsEntry("devices", List.of("devices.removal"));
            harness.attach("vm1", qemu.qmpSocket("daemon"));
            assertThat(test.executeJson("{\"execute\": \"device_add\", \"arguments\": {\"driver\": \"usb-tablet\","
                    + " \"id\": \"tablet0\", \"bus\": \"xhci.0\"}}").has("return")).isTrue();

            test.execute("cont");

            Eventually.await("the remover hears of the deletion", DEADLINE, () -> states.snapshot()
                    .getOrDefault("remover", Map.of()).toString(), s -> s.contains("deleted /machine/peripheral/tablet0"));
            assertThat(states.snapshot().get("devices").get("devices.state").get("vm1"))
                    .containsEntry("deleted", "tablet0").containsEntry("pending", "");

            harness.unload("remover");
            harness.unload("devices");
            assertThat(states.servicesByPlugin()).doesNotContainKey("devices");
            assertThat(states.snapshot()).doesNotContainKeys("devices", "remover");
        }
    }
}
