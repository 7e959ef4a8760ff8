package io.qeventd.runtime.plugin;

import io.qeventd.testkit.vm.PluginJarBuilder;

/**
 * Real plugins for the host tests: a SEQ handler that reports which version processed each event,
 * so the journal shows every event's fate and the version that handled it.
 */
final class SeqPlugins {
    private SeqPlugins() {
    }

    /**
     * The source of an {@code EventHandlers} extension {@code pkg.cls} with one handler of {@code event},
     * payload {@code payload} (a class of the package), type {@code cls.Type.EVENT}, processor body
     * {@code process} (a statement over {@code ctx} and {@code e}).
     */
    static String handlers(String pkg, String cls, String event, String payload, String process) {
        return """
                package %1$s;

                import io.qeventd.api.EventHandlers;
                import io.qeventd.api.EventType;
                import io.qeventd.api.Handler;
                import java.util.List;
                import org.pf4j.Extension;

                @Extension
                public class %2$s implements EventHandlers {
                    public enum Type implements EventType { %3$s }

                    @Override
                    public List<Handler<?>> handlers() {
                        return List.of(Handler.on("%3$s", %4$s.class).type(Type.%3$s)
                                .process((ctx, e) -> %5$s));
                    }
                }
                """.formatted(pkg, cls, event, payload, process);
    }

    /** Plugin {@code seq} at {@code version}; its processor reports "VERSION:N". */
    static PluginJarBuilder seq(String version) {
        return seq("seq", version, "");
    }

    /** As {@link #seq(String)}, with {@code extra} spliced into the handlers class (fields, constructor). */
    static PluginJarBuilder seq(String id, String version, String extra) {
        return seq(id, version, extra, "");
    }

    /** As {@link #seq(String, String, String)}, with {@code before} run first in the processor. */
    static PluginJarBuilder seq(String id, String version, String extra, String before) {
        return PluginJarBuilder.create(id).version(version).requires(">=0.1.0")
                .source("com.example.seq.SeqHandlers", """
                        package com.example.seq;

                        import io.qeventd.api.EventHandlers;
                        import io.qeventd.api.EventType;
                        import io.qeventd.api.Handler;
                        import java.util.List;
                        import org.pf4j.Extension;

                        @Extension
                        public class SeqHandlers implements EventHandlers {
                            public enum SeqType implements EventType { SEQ }

                            public record Seq(int n) {}

                        %s

                            @Override
                            public List<Handler<?>> handlers() {
                                return List.of(Handler.on("SEQ", Seq.class).type(SeqType.SEQ)
                                        .process((ctx, e) -> { %s ctx.report("%s:" + e.payload().n()); }));
                            }
                        }
                        """.formatted(extra, before, version));
    }
}
