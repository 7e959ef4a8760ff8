package io.qeventd.runtime.plugin;

import io.qeventd.testkit.vm.PluginJarBuilder;

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
                .source("com.example.boom.BoomHandlers", SeqPlugins.handlers("com.example.boom", "BoomHandlers", "BOOM",
                        "Boom", "ctx.report(\"" + version + ":\" + e.payload().n())"));
    }
}
