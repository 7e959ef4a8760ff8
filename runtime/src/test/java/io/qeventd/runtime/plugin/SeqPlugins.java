package io.qeventd.runtime.plugin;

import io.qeventd.runtime.testing.PluginJarBuilder;

/**
 * Real plugins for the host tests: a SEQ handler that reports which version processed each event,
 * so the journal shows every event's fate and the version that handled it.
 */
final class SeqPlugins {
    private SeqPlugins() {
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
