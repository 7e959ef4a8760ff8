package io.qeventd.testkit.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qeventd.api.EventHandlers;
import io.qeventd.api.Handler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pf4j.DefaultPluginManager;
import org.pf4j.PluginManager;
import org.pf4j.PluginState;

class PluginJarBuilderTest {
    static final String HANDLERS = """
            package com.example.hello;

            import io.qeventd.api.EventHandlers;
            import io.qeventd.api.EventType;
            import io.qeventd.api.Handler;
            import java.util.List;
            import org.pf4j.Extension;

            @Extension
            public class HelloHandlers implements EventHandlers {
                enum Type implements EventType { RESUMED }

                public record Resume(boolean singlestep) {}

                @Override
                public List<Handler<?>> handlers() {
                    return List.of(Handler.on("RESUME", Resume.class).type(Type.RESUMED).process((ctx, e) -> {}));
                }
            }
            """;

    @TempDir
    Path dir;

    @Test
    void jarCarriesManifestDescriptorAndExtensionIndex() throws IOException {
        Path jar = PluginJarBuilder.create("hello").version("1.2.3").requires(">=0.1.0")
                .dependencies("base@1.0.0", "extra?")
                .source("com.example.hello.HelloHandlers", HANDLERS)
                .resource("com/example/hello/defaults.txt", "x")
                .build(dir.resolve("hello.jar"));

        try (JarFile file = new JarFile(jar.toFile())) {
            Attributes main = file.getManifest().getMainAttributes();
            assertThat(main.getValue("Plugin-Id")).isEqualTo("hello");
            assertThat(main.getValue("Plugin-Version")).isEqualTo("1.2.3");
            assertThat(main.getValue("Plugin-Requires")).isEqualTo(">=0.1.0");
            assertThat(main.getValue("Plugin-Dependencies")).isEqualTo("base@1.0.0, extra?");
            String index = new String(file.getInputStream(file.getEntry("META-INF/extensions.idx")).readAllBytes(),
                    StandardCharsets.UTF_8);
            assertThat(index).contains("com.example.hello.HelloHandlers");
            assertThat(file.getEntry("com/example/hello/HelloHandlers.class")).isNotNull();
            assertThat(file.getEntry("com/example/hello/defaults.txt")).isNotNull();
        }
    }

    @Test
    void pf4jLoadsTheJarAndFindsItsHandlers() {
        Path jar = PluginJarBuilder.create("hello").source("com.example.hello.HelloHandlers", HANDLERS)
                .build(dir.resolve("hello.jar"));

        assertThat(handlerEventsLoadedByPf4j(jar)).containsExactly("RESUME");
    }

    @Test
    void pf4jLoadsTheZipWithPropertiesDescriptor() {
        Path zip = PluginJarBuilder.create("hello").descriptor(PluginJarBuilder.Descriptor.PROPERTIES)
                .source("com.example.hello.HelloHandlers", HANDLERS)
                .buildZip(dir.resolve("hello.zip"));

        assertThat(handlerEventsLoadedByPf4j(zip)).containsExactly("RESUME");
    }

    @Test
    void compileErrorsNameTheSourceAndLine() {
        PluginJarBuilder builder = PluginJarBuilder.create("broken")
                .source("com.example.Broken", "package com.example;\npublic class Broken { int x = \"no\"; }\n");

        assertThatThrownBy(() -> builder.build(dir.resolve("broken.jar")))
                .isInstanceOf(PluginJarCompileException.class)
                .hasMessageContaining("broken")
                .hasMessageContaining("com/example/Broken.java:2")
                .hasMessageContaining("incompatible types");
    }

    @Test
    void partialJarIsAPrefixOfTheWholeJar() throws IOException {
        PluginJarBuilder builder = PluginJarBuilder.create("hello").source("com.example.hello.HelloHandlers", HANDLERS);
        byte[] whole = builder.jarBytes();

        Path half = builder.buildPartial(dir.resolve("half.jar"), whole.length / 2);

        assertThat(Files.readAllBytes(half)).isEqualTo(Arrays.copyOf(whole, whole.length / 2));
        assertThatThrownBy(() -> new ZipFile(half.toFile()).close()).isInstanceOf(ZipException.class);
    }

    @Test
    void corruptJarHasFullLengthButNoReadableDirectory() throws IOException {
        PluginJarBuilder builder = PluginJarBuilder.create("hello").source("com.example.hello.HelloHandlers", HANDLERS);

        Path corrupt = builder.buildCorrupt(dir.resolve("corrupt.jar"));

        assertThat(Files.size(corrupt)).isEqualTo(builder.jarBytes().length);
        assertThatThrownBy(() -> new JarFile(corrupt.toFile()).close()).isInstanceOf(ZipException.class);
    }

    private List<String> handlerEventsLoadedByPf4j(Path plugin) {
        PluginManager manager = new DefaultPluginManager(plugin.getParent());
        String id = manager.loadPlugin(plugin);
        try {
            assertThat(manager.startPlugin(id)).isEqualTo(PluginState.STARTED);
            return manager.getExtensions(EventHandlers.class, id).stream()
                    .flatMap(h -> h.handlers().stream())
                    .map(Handler::event)
                    .toList();
        } finally {
            // Not stopPlugins(): in PF4J 3.15.0 it removes from the list it iterates and throws
            // ConcurrentModificationException once a plugin has started.
            manager.unloadPlugin(id);
        }
    }
}
