package io.qeventd.runtime.plugin;

import io.qeventd.runtime.testing.PluginJarBuilder;

/** Plugin {@code boom}: a BOOM handler whose payload class may refuse to initialise. */
final class BoomPlugins {
    private BoomPlugins() {
    }

    static PluginJarBuilder boom(String version, boolean payloadThrows) {
        String init = payloadThrows
                ? "static { if (Boolean.parseBoolean(\"true\")) throw new IllegalStateException(\"Boom refuses\"); }"
                : "";
        return PluginJarBuilder.create("boom").version(version).requires(">=0.1.0")
                .source("com.example.boom.Boom", """
                        package com.example.boom;
                        public record Boom(int n) { %s }
                        """.formatted(init))
                .source("com.example.boom.BoomHandlers", """
                        package com.example.boom;

                        import io.qeventd.api.EventHandlers;
                        import io.qeventd.api.EventType;
                        import io.qeventd.api.Handler;
                        import java.util.List;
                        import org.pf4j.Extension;

                        @Extension
                        public class BoomHandlers implements EventHandlers {
                            public enum BoomType implements EventType { BOOM }

                            @Override
                            public List<Handler<?>> handlers() {
                                return List.of(Handler.on("BOOM", Boom.class).type(BoomType.BOOM)
                                        .process((ctx, e) -> ctx.report("%s:" + e.payload().n())));
                            }
                        }
                        """.formatted(version));
    }
}
