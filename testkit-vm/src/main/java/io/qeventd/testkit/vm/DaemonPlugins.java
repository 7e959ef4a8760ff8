package io.qeventd.testkit.vm;

import java.nio.file.Path;

/**
 * Real plugin jars for tests that run the whole daemon, compiled on the spot by {@link PluginJarBuilder}.
 */
public final class DaemonPlugins {
    private DaemonPlugins() {
    }

    /**
     * Plugin {@code run-state} 1.0.0: handles STOP and RESUME, reporting each as an action; does nothing
     * else, as the built-in lifecycle plugin logs and does nothing else.
     */
    public static Path runState(Path pluginsDir) {
        return PluginJarBuilder.create("run-state").version("1.0.0").requires(">=0.1.0")
                .source("com.example.runstate.RunStateHandlers", """
                        package com.example.runstate;

                        import io.qeventd.api.EventHandlers;
                        import io.qeventd.api.EventType;
                        import io.qeventd.api.Handler;
                        import java.util.List;
                        import java.util.Map;
                        import org.pf4j.Extension;

                        @Extension
                        public class RunStateHandlers implements EventHandlers {
                            public enum Type implements EventType { STOPPED, RESUMED }

                            @Override
                            public List<Handler<?>> handlers() {
                                return List.of(
                                        Handler.on("STOP", Map.class).type(Type.STOPPED)
                                                .process((ctx, e) -> ctx.report("saw STOP")),
                                        Handler.on("RESUME", Map.class).type(Type.RESUMED)
                                                .process((ctx, e) -> ctx.report("saw RESUME")));
                            }
                        }
                        """)
                .build(pluginsDir.resolve("run-state.jar"));
    }

    /**
     * Plugin {@code slow-work} 1.0.0: handles the made-up event {@code WORK} with data
     * {@code {"seq": N, "sleepMs": M}} by sleeping M ms, then reporting {@code work N}: a processor that
     * keeps events queued long enough to stop the daemon with events in flight.
     */
    public static Path slowWork(Path pluginsDir) {
        return PluginJarBuilder.create("slow-work").version("1.0.0").requires(">=0.1.0")
                .source("com.example.slowwork.SlowWorkHandlers", """
                        package com.example.slowwork;

                        import io.qeventd.api.EventHandlers;
                        import io.qeventd.api.EventType;
                        import io.qeventd.api.Handler;
                        import java.util.List;
                        import org.pf4j.Extension;

                        @Extension
                        public class SlowWorkHandlers implements EventHandlers {
                            public enum Type implements EventType { WORK }

                            public record Work(int seq, int sleepMs) {}

                            @Override
                            public List<Handler<?>> handlers() {
                                return List.of(Handler.on("WORK", Work.class).type(Type.WORK).process((ctx, e) -> {
                                    try {
                                        Thread.sleep(e.payload().sleepMs());
                                    } catch (InterruptedException ie) {
                                        Thread.currentThread().interrupt();
                                        throw new IllegalStateException("interrupted in work " + e.payload().seq());
                                    }
                                    ctx.report("work " + e.payload().seq());
                                }));
                            }
                        }
                        """)
                .build(pluginsDir.resolve("slow-work.jar"));
    }

    /**
     * Plugin {@code mirror-mac} 1.0.0: on NIC_RX_FILTER_CHANGED of a trusted NIC it reads the filter with
     * {@code query-rx-filter} and sets the host device's MAC and promiscuous mode to the guest's, as a NIC
     * plugin does (in miniature: no multicast list).
     */
    public static Path mirrorMac(Path pluginsDir) {
        return PluginJarBuilder.create("mirror-mac").version("1.0.0").requires(">=0.1.0")
                .source("com.example.mirrormac.MirrorMacHandlers", """
                        package com.example.mirrormac;

                        import io.qeventd.api.EventHandlers;
                        import io.qeventd.api.EventType;
                        import io.qeventd.api.Handler;
                        import io.qeventd.api.Nic;
                        import java.util.List;
                        import java.util.Map;
                        import org.pf4j.Extension;

                        @Extension
                        public class MirrorMacHandlers implements EventHandlers {
                            public enum Type implements EventType { RX_FILTER_CHANGED }

                            public record Changed(String name, String path) {}

                            @Override
                            public List<Handler<?>> handlers() {
                                return List.of(Handler.on("NIC_RX_FILTER_CHANGED", Changed.class)
                                        .type(Type.RX_FILTER_CHANGED)
                                        .coalesceBy(Changed::name)
                                        .process((ctx, e) -> {
                                            Nic nic = ctx.domain().nic(e.payload().name()).orElse(null);
                                            if (nic == null || !nic.trustGuestRxFilters()) {
                                                return;
                                            }
                                            List<?> filters = ctx.monitor().execute("query-rx-filter",
                                                    Map.of("name", nic.alias()), List.class);
                                            Map<?, ?> f = (Map<?, ?>) filters.get(0);
                                            String mac = (String) f.get("main-mac");
                                            boolean promiscuous = (Boolean) f.get("promiscuous");
                                            var link = ctx.host().link(nic.netns(), nic.hostDevice());
                                            if (!link.mac().equals(mac)) {
                                                ctx.host().setMac(nic.netns(), nic.hostDevice(), mac);
                                                ctx.report("mac " + mac);
                                            }
                                            if (link.promiscuous() != promiscuous) {
                                                ctx.host().setPromiscuous(nic.netns(), nic.hostDevice(), promiscuous);
                                                ctx.report("promiscuous " + promiscuous);
                                            }
                                        }));
                            }
                        }
                        """)
                .build(pluginsDir.resolve("mirror-mac.jar"));
    }
}
