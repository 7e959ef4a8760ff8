package io.qeventd.runtime.plugin;

import io.qeventd.testkit.vm.PluginJarBuilder;

/** Plugin sources for the inspector tests, each a real plugin compiled by {@link PluginJarBuilder}. */
final class TestPlugins {
    static final String NIC_HANDLERS = "com.example.nic.NicHandlers";
    static final String NIC_PLUGIN = "com.example.nic.NicPlugin";

    private TestPlugins() {
    }

    /** A good plugin: two handlers, one coalescing, a Plugin-Class that starts and stops. */
    static PluginJarBuilder nic() {
        return PluginJarBuilder.create("nic").version("1.0.0").requires(">=0.1.0").pluginClass(NIC_PLUGIN)
                .source(NIC_PLUGIN, """
                        package com.example.nic;

                        public class NicPlugin extends org.pf4j.Plugin {
                            @Override public void start() { io.qeventd.runtime.plugin.InspectorProbe.record(getClass().getClassLoader()); }
                            @Override public void stop() { }
                        }
                        """)
                .source(NIC_HANDLERS, """
                        package com.example.nic;

                        import io.qeventd.api.EventHandlers;
                        import io.qeventd.api.EventType;
                        import io.qeventd.api.Handler;
                        import java.util.List;
                        import org.pf4j.Extension;

                        @Extension
                        public class NicHandlers implements EventHandlers {
                            public enum NicEventType implements EventType { RX_FILTER_CHANGED, RESUMED }

                            public record RxFilterChanged(String name, String path) {}

                            public record Resume(boolean singlestep) {}

                            public NicHandlers() {
                                io.qeventd.runtime.plugin.InspectorProbe.record(getClass().getClassLoader());
                            }

                            @Override
                            public List<Handler<?>> handlers() {
                                return List.of(
                                        Handler.on("NIC_RX_FILTER_CHANGED", RxFilterChanged.class)
                                                .type(NicEventType.RX_FILTER_CHANGED)
                                                .coalesceBy(RxFilterChanged::name)
                                                .process((ctx, e) -> { }),
                                        Handler.on("RESUME", Resume.class).type(NicEventType.RESUMED).order(5)
                                                .process((ctx, e) -> { }));
                            }
                        }
                        """);
    }

    /** A plugin with one EventHandlers extension whose class body is {@code body}. */
    static PluginJarBuilder handlers(String id, String body) {
        return PluginJarBuilder.create(id).version("1.0.0").requires(">=0.1.0")
                .source("com.example.bad.BadHandlers", """
                        package com.example.bad;

                        import io.qeventd.api.EventHandlers;
                        import io.qeventd.api.EventType;
                        import io.qeventd.api.Handler;
                        import java.util.ArrayList;
                        import java.util.List;
                        import org.pf4j.Extension;

                        @Extension
                        public class BadHandlers implements EventHandlers {
                            enum Type implements EventType { RESUMED }

                            public record Resume(boolean singlestep) {}

                        %s
                        }
                        """.formatted(body));
    }

    /** A valid handler list, for plugins whose trouble lies elsewhere. */
    static final String ONE_HANDLER = """
                @Override
                public List<Handler<?>> handlers() {
                    return List.of(Handler.on("RESUME", Resume.class).type(Type.RESUMED).process((ctx, e) -> { }));
                }
            """;
}
