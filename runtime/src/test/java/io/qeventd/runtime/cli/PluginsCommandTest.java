package io.qeventd.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.qeventd.testkit.vm.PluginJarBuilder;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class PluginsCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    private static PluginJarBuilder plugin(String id, String requires) {
        return PluginJarBuilder.create(id).version("1.2.3").requires(requires)
                .source("com.example.p.Handlers", """
                        package com.example.p;

                        import io.qeventd.api.EventHandlers;
                        import io.qeventd.api.EventType;
                        import io.qeventd.api.Handler;
                        import java.util.List;
                        import org.pf4j.Extension;

                        @Extension
                        public class Handlers implements EventHandlers {
                            enum T implements EventType { STOPPED, RESUMED }
                            public record None() {}

                            @Override
                            public List<Handler<?>> handlers() {
                                return List.of(Handler.on("STOP", None.class).type(T.STOPPED).process((c, e) -> { }),
                                        Handler.on("RESUME", None.class).type(T.RESUMED).process((c, e) -> { }));
                            }
                        }
                        """);
    }

    @Test
    void checkAcceptsAValidJarAndListsItsHandlers() throws Exception {
        Path jar = plugin("good", ">=0.1.0").build(dir.resolve("good.jar"));
        assertThat(run("plugins", "check", jar.toString())).isZero();
        assertThat(out.toString()).contains("valid plugin good 1.2.3").contains("STOP").contains("RESUME");
    }

    @Test
    void checkRejectsAJarThatRequiresANewerApiAndSaysWhy() throws Exception {
        Path jar = plugin("future", ">=9.0.0").build(dir.resolve("future.jar"));
        assertThat(run("plugins", "check", jar.toString())).isEqualTo(1);
        assertThat(out.toString()).contains("invalid plugin").contains("9.0.0");
    }

    @Test
    void listPrintsEachPluginsIdVersionStateFileAndEvents() throws Exception {
        Path plugins = Files.createDirectory(dir.resolve("plugins"));
        plugin("good", ">=0.1.0").build(plugins.resolve("good-1.jar"));
        plugin("future", ">=9.0.0").build(plugins.resolve("future.jar"));
        assertThat(run("plugins", "list", "--dir", plugins.toString())).isEqualTo(1);
        String[] lines = out.toString().split("\n");
        assertThat(lines[0]).startsWith("ID").contains("VERSION").contains("STATE").contains("FILE").contains("EVENTS");
        assertThat(out.toString()).containsPattern("good\\s+1\\.2\\.3\\s+valid\\s+good-1\\.jar\\s+RESUME,STOP")
                .containsPattern("future\\s+1\\.2\\.3\\s+invalid\\s+future\\.jar");
    }

    @Test
    void twoFilesWithOnePluginIdAreBothInvalidAndEachErrorNamesBothFiles() throws Exception {
        Path plugins = Files.createDirectory(dir.resolve("plugins"));
        Path first = plugin("same", ">=0.1.0").build(plugins.resolve("same-1.jar"));
        Path second = plugin("same", ">=0.1.0").build(plugins.resolve("same-2.jar"));

        assertThat(run("plugins", "list", "--dir", plugins.toString())).isEqualTo(1);

        assertThat(out.toString())
                .contains("invalid  same-1.jar").contains("invalid  same-2.jar")
                .contains(first + ": plugin id same is also the id of " + second)
                .contains(second + ": plugin id same is also the id of " + first)
                .doesNotContain("PluginVersion and PluginProvider");
    }

    @Test
    void checkRejectsAJarWithoutTheLibraryItsProcessorUsesNamingClassAndReferrer() throws Exception {
        Path lib = PluginJarBuilder.create("lib").requires(">=0.1.0")
                .source("com.example.lib.Text", "package com.example.lib; public class Text {"
                        + " public static String shout(String s) { return s.toUpperCase(); } }")
                .build(dir.resolve("lib.jar"));
        Path jar = PluginJarBuilder.create("shout").version("1.0.0").requires(">=0.1.0").classpath(lib)
                .source("com.example.s.Shout", """
                        package com.example.s;

                        @org.pf4j.Extension
                        public class Shout implements io.qeventd.api.EventHandlers {
                            public record Stop() {}

                            @Override
                            public java.util.List<io.qeventd.api.Handler<?>> handlers() {
                                return java.util.List.of(io.qeventd.api.Handler.on("STOP", Stop.class)
                                        .type(() -> "STOPPED")
                                        .process((c, e) -> c.report(com.example.lib.Text.shout("x"))));
                            }
                        }
                        """).build(dir.resolve("shout.jar"));

        assertThat(run("plugins", "check", jar.toString())).isEqualTo(1);

        assertThat(out.toString()).contains(jar + ": class com.example.lib.Text, used by com.example.s.Shout, is"
                + " neither in the plugin nor provided by qeventd");
    }

    @Test
    void checkOfAPluginThatCallsSystemExitSaysInvalidAndNeverExitsWithThePluginsCode() throws Exception {
        Path jar = PluginJarBuilder.create("exiter").version("1.0.0").requires(">=0.1.0")
                .source("com.example.x.Exiter", """
                        package com.example.x;

                        @org.pf4j.Extension
                        public class Exiter implements io.qeventd.api.EventHandlers {
                            public record Stop() {}

                            public Exiter() {
                                System.exit(0); // "valid", if the check ran it
                            }

                            @Override
                            public java.util.List<io.qeventd.api.Handler<?>> handlers() {
                                return java.util.List.of(io.qeventd.api.Handler.on("STOP", Stop.class)
                                        .type(() -> "STOPPED").process((c, e) -> { }));
                            }
                        }
                        """).build(dir.resolve("exiter.jar"));

        // In a JVM of its own: were the plugin's constructor run, it would end that JVM with code 0.
        try (QeventdProcess check = QeventdProcess.start(dir.resolve("check"), "plugins", "check", jar.toString())) {
            assertThat(check.awaitExit(java.time.Duration.ofSeconds(60))).isEqualTo(1);
            assertThat(java.nio.file.Files.readString(check.stdout))
                    .contains("calls System.exit in com.example.x.Exiter.<init>");
        }
    }

    @Test
    void checkWarnsOfAMisspeltEventWithTheNameItProbablyMeant() throws Exception {
        Path jar = PluginJarBuilder.create("typo").version("1.0.0").requires(">=0.1.0")
                .source("com.example.t.Typo", """
                        package com.example.t;

                        @org.pf4j.Extension
                        public class Typo implements io.qeventd.api.EventHandlers {
                            public record Deleted(String device) {}

                            @Override
                            public java.util.List<io.qeventd.api.Handler<?>> handlers() {
                                return java.util.List.of(io.qeventd.api.Handler.on("DEVICE_DELETE", Deleted.class)
                                        .type(() -> "DELETED").process((c, e) -> { }));
                            }
                        }
                        """).build(dir.resolve("typo.jar"));

        assertThat(run("plugins", "check", jar.toString())).isZero();

        assertThat(out.toString()).contains("warning: " + jar + ": com.example.t.Typo handles DEVICE_DELETE, which is"
                + " not an event of QEMU 7.2's QMP schema; did you mean DEVICE_DELETED?");
    }

    @Test
    void listOfAMissingDirectoryIsAUsageError() {
        assertThat(run("plugins", "list", "--dir", dir.resolve("nope").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("is not a directory");
    }

    @Test
    void checkCreatesExtensionsAsTheDaemonDoesWithInjectionAndTheConfiguredSettings() throws Exception {
        Path jar = PluginJarBuilder.create("painter").version("1.0.0").requires(">=0.1.0")
                .source("com.example.p.Painter", """
                        package com.example.p;

                        import io.qeventd.api.EventHandlers;
                        import io.qeventd.api.EventType;
                        import io.qeventd.api.Handler;
                        import io.qeventd.api.HostNetwork;
                        import io.qeventd.api.PluginSettings;
                        import jakarta.inject.Inject;
                        import java.util.List;
                        import org.pf4j.Extension;

                        @Extension
                        public class Painter implements EventHandlers {
                            enum T implements EventType { PAINTED }
                            public record None() {}

                            @Inject
                            public Painter(PluginSettings settings, HostNetwork host) {
                                if (settings.asMap().get("color") == null) {
                                    throw new IllegalArgumentException("pluginSettings.painter.color is missing");
                                }
                            }

                            @Override
                            public List<Handler<?>> handlers() {
                                return List.of(Handler.on("STOP", None.class).type(T.PAINTED).process((c, e) -> { }));
                            }
                        }
                        """).build(dir.resolve("painter.jar"));
        assertThat(run("plugins", "check", jar.toString())).isEqualTo(1);
        assertThat(out.toString()).contains("pluginSettings.painter.color is missing");

        Path config = Files.writeString(dir.resolve("qeventd.yaml"), """
                pluginSettings:
                  painter:
                    color: blue
                """);
        out.getBuffer().setLength(0);
        assertThat(run("plugins", "check", "--config", config.toString(), jar.toString())).isZero();
        assertThat(out.toString()).contains("valid plugin painter 1.0.0");
    }
}
