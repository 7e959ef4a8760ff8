package io.qeventd.runtime.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.qeventd.api.ApiVersion;
import io.qeventd.api.EventHandlers;
import io.qeventd.api.Handler;
import io.qeventd.runtime.plugin.PluginInspection.Dependency;
import io.qeventd.runtime.plugin.PluginInspection.HandlerInfo;
import io.qeventd.runtime.plugin.PluginInspector.AvailablePlugin;
import io.qeventd.testkit.vm.PluginJarBuilder;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pf4j.DefaultPluginManager;
import org.pf4j.PluginManager;
import org.pf4j.PluginState;

class PluginInspectorTest {
    @TempDir
    Path tmp;
    Path work;
    PluginInspector inspector;

    @BeforeEach
    void inspectorWithItsOwnWorkDirectory() throws IOException {
        work = Files.createDirectory(tmp.resolve("work"));
        inspector = PluginInspector.builder().workDirectory(work).build();
    }

    @Test
    void acceptsAGoodJarAndListsItsHandlers() throws IOException {
        Path jar = TestPlugins.nic().build(tmp.resolve("nic.jar"));

        PluginInspection result = inspector.inspect(jar);

        assertThat(result.problems()).isEmpty();
        assertThat(result.valid()).isTrue();
        assertThat(result.id()).isEqualTo("nic");
        assertThat(result.version()).isEqualTo("1.0.0");
        assertThat(result.requires()).isEqualTo(">=0.1.0");
        assertThat(result.handlers()).containsExactly(
                new HandlerInfo("NIC_RX_FILTER_CHANGED", "RX_FILTER_CHANGED",
                        "com.example.nic.NicHandlers$RxFilterChanged", true, 0, TestPlugins.NIC_HANDLERS),
                new HandlerInfo("RESUME", "RESUMED", "com.example.nic.NicHandlers$Resume", false, 5,
                        TestPlugins.NIC_HANDLERS));
        assertThat(result.warnings()).isEmpty();
        assertWorkDirectoryEmpty();
    }

    @Test
    void acceptsAGoodZipWithAPropertiesDescriptor() {
        Path zip = TestPlugins.nic().descriptor(PluginJarBuilder.Descriptor.PROPERTIES).buildZip(tmp.resolve("nic.zip"));

        PluginInspection result = inspector.inspect(zip);

        assertThat(result.problems()).isEmpty();
        assertThat(result.handlers()).extracting(HandlerInfo::event).containsExactly("NIC_RX_FILTER_CHANGED", "RESUME");
    }

    @Test
    void reportReadsAsTheCheckCommandPrintsIt() {
        Path jar = TestPlugins.nic().build(tmp.resolve("nic.jar"));

        String report = inspector.inspect(jar).report();

        assertThat(report).startsWith(jar + ": valid plugin nic 1.0.0 (requires api >=0.1.0)\n")
                .contains("  handler NIC_RX_FILTER_CHANGED -> RX_FILTER_CHANGED (payload"
                        + " com.example.nic.NicHandlers$RxFilterChanged, coalescing) from com.example.nic.NicHandlers\n")
                .contains("  handler RESUME -> RESUMED (payload com.example.nic.NicHandlers$Resume, order 5)");
    }

    @Test
    void rejectsACorruptJar() {
        Path jar = TestPlugins.nic().buildCorrupt(tmp.resolve("nic.jar"));

        PluginInspection result = inspector.inspect(jar);

        assertThat(result.valid()).isFalse();
        assertThat(result.problems()).singleElement().asString()
                .startsWith(jar + ": is not a readable jar (")
                .endsWith("the file is damaged or was not completely copied");
        assertWorkDirectoryEmpty();
    }

    @Test
    void rejectsAHalfCopiedJar() {
        PluginJarBuilder nic = TestPlugins.nic();
        Path jar = nic.buildPartial(tmp.resolve("nic.jar"), nic.jarBytes().length / 2);

        assertThat(inspector.inspect(jar).problems()).singleElement().asString()
                .startsWith(jar + ": is not a readable jar (");
    }

    @Test
    void rejectsAJarWithoutDescriptor() {
        Path jar = TestPlugins.nic().descriptor(PluginJarBuilder.Descriptor.NONE).build(tmp.resolve("plain.jar"));

        PluginInspection result = inspector.inspect(jar);

        assertThat(result.problems()).containsExactly(jar + ": has no plugin descriptor: neither a plugin.properties"
                + " nor a META-INF/MANIFEST.MF with Plugin-Id (the build must set the Plugin-* manifest entries)");
        assertThat(result.id()).isNull();
    }

    @Test
    void rejectsAPluginThatRequiresANewerApi() {
        Path jar = TestPlugins.nic().requires(">=9.0.0").build(tmp.resolve("nic.jar"));

        PluginInspection result = inspector.inspect(jar);

        assertThat(result.problems()).containsExactly(jar + ": Plugin-Requires '>=9.0.0' is not satisfied by this"
                + " daemon's api version " + ApiVersion.get());
        assertThat(result.id()).isEqualTo("nic");
        assertThat(result.requires()).isEqualTo(">=9.0.0");
    }

    @Test
    void readsABareRequiredVersionAsAMinimumAsPf4jDoes() {
        Path jar = TestPlugins.nic().requires("0.0.1").build(tmp.resolve("nic.jar"));

        assertThat(inspector.inspect(jar).problems()).isEmpty();
    }

    @Test
    void warnsWhenNoApiVersionIsRequired() {
        Path jar = TestPlugins.nic().requires(null).build(tmp.resolve("nic.jar"));

        PluginInspection result = inspector.inspect(jar);

        assertThat(result.valid()).isTrue();
        assertThat(result.warnings()).singleElement().asString().startsWith(jar + ": declares no Plugin-Requires");
    }

    @Test
    void rejectsAVersionThatIsNotSemantic() {
        Path jar = TestPlugins.nic().version("1.0").build(tmp.resolve("nic.jar"));

        assertThat(inspector.inspect(jar).problems())
                .containsExactly(jar + ": Plugin-Version '1.0' is not a semantic version such as 1.0.0");
    }

    @Test
    void rejectsAMissingDependency() {
        Path jar = TestPlugins.nic().dependencies("base@1.0.0").build(tmp.resolve("nic.jar"));

        PluginInspection result = inspector.inspect(jar, List.of(AvailablePlugin.of("other", "2.0.0")));

        assertThat(result.problems()).containsExactly(
                jar + ": depends on base@1.0.0, which is not available (available: other 2.0.0)");
        assertThat(result.dependencies()).containsExactly(new Dependency("base", "1.0.0", false));
    }

    @Test
    void rejectsADependencyOfTheWrongVersion() {
        Path jar = TestPlugins.nic().dependencies("base@>=1.0.0").build(tmp.resolve("nic.jar"));

        assertThat(inspector.inspect(jar, List.of(AvailablePlugin.of("base", "0.9.0"))).problems())
                .containsExactly(jar + ": depends on base@>=1.0.0, but base 0.9.0 is available");
    }

    @Test
    void acceptsDependenciesThatAreAvailableAndOptionalOnesThatAreNot() {
        Path jar = TestPlugins.nic().dependencies("base@>=1.0.0", "extra?").build(tmp.resolve("nic.jar"));

        PluginInspection result = inspector.inspect(jar, List.of(AvailablePlugin.of("base", "1.2.0")));

        assertThat(result.problems()).isEmpty();
        assertThat(result.handlers()).hasSize(2);
    }

    @Test
    void linksAgainstADependencyWhoseFileIsGiven() {
        Path base = PluginJarBuilder.create("base").version("1.0.0").requires(">=0.1.0")
                .source("com.example.base.Greeter", """
                        package com.example.base;
                        public class Greeter { public static String event() { return "RESUME"; } }
                        """)
                .build(tmp.resolve("base.jar"));
        Path jar = TestPlugins.handlers("greeting", """
                    @Override
                    public List<Handler<?>> handlers() {
                        return List.of(Handler.on(com.example.base.Greeter.event(), Resume.class).type(Type.RESUMED)
                                .process((ctx, e) -> { }));
                    }
                """).dependencies("base@1.0.0").classpath(base).build(tmp.resolve("greeting.jar"));

        PluginInspection linked = inspector.inspect(jar, List.of(new AvailablePlugin("base", "1.0.0", base)));
        PluginInspection standIn = inspector.inspect(jar, List.of(AvailablePlugin.of("base", "1.0.0")));

        assertThat(linked.problems()).isEmpty();
        assertThat(linked.handlers()).extracting(HandlerInfo::event).containsExactly("RESUME");
        assertThat(standIn.problems()).singleElement().asString()
                .startsWith(jar + ": com.example.bad.BadHandlers.handlers() threw NoClassDefFoundError:"
                        + " com/example/base/Greeter");
    }

    @Test
    void refusesAPluginThatCallsSystemExitInItsConstructorBeforeRunningAnyOfItsCode() {
        Path jar = TestPlugins.handlers("exiter", """
                    public BadHandlers() {
                        System.exit(0);
                    }
                """ + TestPlugins.ONE_HANDLER).build(tmp.resolve("exiter.jar"));

        assertThat(inspector.inspect(jar).problems()).singleElement().asString()
                .contains("calls System.exit in com.example.bad.BadHandlers.<init>")
                .contains("a plugin must not end the daemon");
        assertWorkDirectoryEmpty();
    }

    @Test
    void refusesAPluginThatCanHaltTheJvmFromAProcessor() {
        Path jar = TestPlugins.handlers("halter", """
                    @Override
                    public List<Handler<?>> handlers() {
                        return List.of(Handler.on("RESUME", Resume.class).type(Type.RESUMED)
                                .process((ctx, e) -> Runtime.getRuntime().halt(3)));
                    }
                """).build(tmp.resolve("halter.jar"));

        assertThat(inspector.inspect(jar).problems()).singleElement().asString()
                .contains("calls Runtime.halt in com.example.bad.BadHandlers.lambda$handlers$0");
    }

    @Test
    void rejectsAnExtensionWhoseConstructorThrows() {
        Path jar = TestPlugins.handlers("bad", """
                    public BadHandlers() {
                        throw new IllegalStateException("constructor failure under test");
                    }
                """ + TestPlugins.ONE_HANDLER).build(tmp.resolve("bad.jar"));

        assertThat(inspector.inspect(jar).problems()).singleElement().asString()
                .isEqualTo(jar + ": extension com.example.bad.BadHandlers could not be created:"
                        + " IllegalStateException: constructor failure under test"
                        + " at com.example.bad.BadHandlers.<init>(BadHandlers.java:17)");
        assertWorkDirectoryEmpty();
    }

    @Test
    void rejectsAPluginWhoseStartThrows() {
        Path jar = TestPlugins.handlers("bad", TestPlugins.ONE_HANDLER)
                .pluginClass("com.example.bad.BadPlugin")
                .source("com.example.bad.BadPlugin", """
                        package com.example.bad;
                        public class BadPlugin extends org.pf4j.Plugin {
                            @Override public void start() { throw new IllegalStateException("start failure under test"); }
                        }
                        """)
                .build(tmp.resolve("bad.jar"));

        assertThat(inspector.inspect(jar).problems()).containsExactly(jar + ": did not start:"
                + " com.example.bad.BadPlugin.start() threw IllegalStateException: start failure under test"
                + " at com.example.bad.BadPlugin.start(BadPlugin.java:3)");
    }

    @Test
    void rejectsAPluginWhoseStopThrows() {
        Path jar = TestPlugins.handlers("bad", TestPlugins.ONE_HANDLER)
                .pluginClass("com.example.bad.BadPlugin")
                .source("com.example.bad.BadPlugin", """
                        package com.example.bad;
                        public class BadPlugin extends org.pf4j.Plugin {
                            @Override public void stop() { throw new IllegalStateException("stop failure under test"); }
                        }
                        """)
                .build(tmp.resolve("bad.jar"));

        assertThat(inspector.inspect(jar).problems()).containsExactly(jar + ": did not stop:"
                + " com.example.bad.BadPlugin.stop() threw IllegalStateException: stop failure under test"
                + " at com.example.bad.BadPlugin.stop(BadPlugin.java:3)");
        assertWorkDirectoryEmpty();
    }

    @Test
    void rejectsAJarWithoutExtensionIndexSinceItsHandlersWouldNeverBeFound() {
        Path jar = TestPlugins.nic().withoutExtensionIndex().build(tmp.resolve("nic.jar"));

        PluginInspection result = inspector.inspect(jar);

        assertThat(result.valid()).isFalse();
        assertThat(result.handlers()).isEmpty();
        assertThat(result.problems()).containsExactly(jar + ": has no META-INF/extensions.idx, the list of its"
                + " @Extension classes, so qeventd finds no handlers in it: build it with the qeventd plugin parent,"
                + " whose compiler runs the extension index processor");
    }

    @Test
    void rejectsAPluginClassWhoseConstructorThrows() {
        Path jar = TestPlugins.handlers("bad", TestPlugins.ONE_HANDLER)
                .pluginClass("com.example.bad.BadPlugin")
                .source("com.example.bad.BadPlugin", """
                        package com.example.bad;
                        public class BadPlugin extends org.pf4j.Plugin {
                            public BadPlugin() { throw new UnsupportedOperationException("no plugin today"); }
                        }
                        """)
                .build(tmp.resolve("bad.jar"));

        assertThat(inspector.inspect(jar).problems()).containsExactly(jar + ": did not start: PluginCreationException:"
                + " the constructor of Plugin-Class com.example.bad.BadPlugin threw; caused by"
                + " UnsupportedOperationException: no plugin today at com.example.bad.BadPlugin.<init>(BadPlugin.java:3)");
    }

    @Test
    void rejectsAPluginClassThatIsMissing() {
        Path jar = TestPlugins.handlers("bad", TestPlugins.ONE_HANDLER).pluginClass("com.example.bad.Missing")
                .build(tmp.resolve("bad.jar"));

        assertThat(inspector.inspect(jar).problems()).singleElement().asString().startsWith(jar
                + ": did not start: PluginCreationException: Plugin-Class com.example.bad.Missing cannot be loaded"
                + " from the plugin; caused by ClassNotFoundException: com.example.bad.Missing");
    }

    @Test
    void rejectsAnEmptyHandlerList() {
        Path jar = TestPlugins.handlers("bad", """
                    @Override
                    public List<Handler<?>> handlers() { return List.of(); }
                """).build(tmp.resolve("bad.jar"));

        assertThat(inspector.inspect(jar).problems()).containsExactly(jar + ": com.example.bad.BadHandlers.handlers()"
                + " returned no handlers; an EventHandlers extension must add at least one");
    }

    @Test
    void rejectsAHandlerForAnInvalidEventName() {
        Path jar = TestPlugins.handlers("bad", """
                    @Override
                    public List<Handler<?>> handlers() {
                        return List.of(Handler.on("nic-changed", Resume.class).type(Type.RESUMED).process((c, e) -> { }));
                    }
                """).build(tmp.resolve("bad.jar"));

        assertThat(inspector.inspect(jar).problems()).singleElement().asString()
                .startsWith(jar + ": com.example.bad.BadHandlers.handlers() threw IllegalArgumentException:"
                        + " not a QMP event name: 'nic-changed'")
                .endsWith(" at com.example.bad.BadHandlers.handlers(BadHandlers.java:18)");
    }

    @Test
    void rejectsNullEntriesAndNamelessEventTypes() {
        Path jar = TestPlugins.handlers("bad", """
                    @Override
                    public List<Handler<?>> handlers() {
                        List<Handler<?>> list = new ArrayList<>();
                        list.add(null);
                        list.add(Handler.on("RESUME", Resume.class).type(() -> "").process((c, e) -> { }));
                        return list;
                    }
                """).build(tmp.resolve("bad.jar"));

        assertThat(inspector.inspect(jar).problems()).containsExactly(
                jar + ": com.example.bad.BadHandlers.handlers() returned null at index 0",
                jar + ": com.example.bad.BadHandlers: the event type of its RESUME handler has an empty name");
    }

    @Test
    void rejectsAPluginThatBundlesItsOwnCopyOfTheApi() {
        Path jar = PluginJarBuilder.create("bundled").requires(">=0.1.0")
                .source("io.qeventd.api.EventHandlers", """
                        package io.qeventd.api;
                        public interface EventHandlers extends org.pf4j.ExtensionPoint { java.util.List<Object> handlers(); }
                        """)
                .source("com.example.bundled.Handlers", """
                        package com.example.bundled;
                        @org.pf4j.Extension
                        public class Handlers implements io.qeventd.api.EventHandlers {
                            public java.util.List<Object> handlers() { return java.util.List.of(); }
                        }
                        """)
                .build(tmp.resolve("bundled.jar"));

        assertThat(inspector.inspect(jar).problems()).containsExactly(jar + ": extension com.example.bundled.Handlers"
                + " implements its own copy of io.qeventd.api.EventHandlers: the plugin bundles qeventd-api, which"
                + " must be a 'provided' dependency");
    }

    @Test
    void rejectsAPluginWithoutHandlers() {
        Path jar = PluginJarBuilder.create("library").requires(">=0.1.0")
                .source("com.example.library.Util", "package com.example.library; public class Util { }")
                .build(tmp.resolve("library.jar"));

        PluginInspection result = inspector.inspect(jar);

        assertThat(result.valid()).isFalse();
        assertThat(result.problems()).containsExactly(jar + ": contributes no handlers: it has no @Extension"
                + " implementing io.qeventd.api.EventHandlers whose handlers() returns at least one handler");
    }

    @Test
    void warnsOfAnEventQemuNeverSendsAndSuggestsTheClosestName() {
        Path jar = TestPlugins.handlers("typo", """
                    public record Deleted(String device, String path) {}

                    @Override
                    public java.util.List<io.qeventd.api.Handler<?>> handlers() {
                        return java.util.List.of(io.qeventd.api.Handler.on("DEVICE_DELETE", Deleted.class)
                                .type(() -> "DELETED").process((c, e) -> { }));
                    }
                """).build(tmp.resolve("typo.jar"));

        PluginInspection result = inspector.inspect(jar);

        assertThat(result.valid()).isTrue();
        assertThat(result.warnings()).containsExactly(jar + ": com.example.bad.BadHandlers handles DEVICE_DELETE,"
                + " which is not an event of QEMU 7.2's QMP schema; did you mean DEVICE_DELETED? (as written, the"
                + " handler never runs)");
    }

    @Test
    void withTheReferenceCheckRejectsAClassUsedOnlyByAProcessorThatTheJarLacks() {
        Path lib = PluginJarBuilder.create("lib-only").requires(">=0.1.0")
                .source("com.example.lib.Text", "package com.example.lib; public class Text {"
                        + " public static String shout(String s) { return s.toUpperCase(); } }")
                .build(tmp.resolve("lib-only.jar"));
        Path jar = TestPlugins.handlers("shout", """
                    public record Stop() {}

                    @Override
                    public java.util.List<io.qeventd.api.Handler<?>> handlers() {
                        return java.util.List.of(io.qeventd.api.Handler.on("STOP", Stop.class)
                                .type(() -> "STOPPED")
                                .process((c, e) -> c.report(com.example.lib.Text.shout("stopped"))));
                    }
                """).classpath(lib).build(tmp.resolve("shout.jar"));

        assertThat(inspector.inspect(jar).valid()).as("without the reference check: loads, the lambda is never run")
                .isTrue();
        PluginInspection result = inspector.withReferenceCheck().inspect(jar);

        assertThat(result.problems()).containsExactly(jar + ": class com.example.lib.Text, used by"
                + " com.example.bad.BadHandlers, is neither in the plugin nor provided by qeventd: bundle the library"
                + " that has it in the plugin (the qeventd plugin parent bundles compile-scope dependencies into the"
                + " jar)");
    }

    @Test
    void theReferenceCheckAcceptsTheJdkTheApiAndTheSharedLibraries() {
        Path jar = TestPlugins.handlers("shared", """
                    public record Stop() {}

                    @Override
                    public java.util.List<io.qeventd.api.Handler<?>> handlers() {
                        com.fasterxml.jackson.databind.ObjectMapper m = new com.fasterxml.jackson.databind.ObjectMapper();
                        org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger("x");
                        return java.util.List.of(io.qeventd.api.Handler.on("STOP", Stop.class)
                                .type(() -> "STOPPED").process((c, e) -> log.info(m.toString())));
                    }
                """).build(tmp.resolve("shared.jar"));

        assertThat(inspector.withReferenceCheck().inspect(jar).problems()).isEmpty();
    }

    @Test
    void rejectsFilesThatAreNotPluginArchives() throws IOException {
        Path text = Files.writeString(tmp.resolve("notes.txt"), "x");

        assertThat(inspector.inspect(text).problems())
                .containsExactly(text + ": is not a plugin: its name ends neither in .jar nor in .zip");
        assertThat(inspector.inspect(tmp.resolve("absent.jar")).problems())
                .containsExactly(tmp.resolve("absent.jar") + ": does not exist");
    }

    @Test
    void reportsAPluginThatHangsAtTheDeadlineAndCleansUpOnceItReturns() throws Exception {
        PluginInspector impatient = PluginInspector.builder().workDirectory(work).timeout(Duration.ofSeconds(2))
                .build();
        Path jar = TestPlugins.handlers("slow", """
                    public BadHandlers() throws InterruptedException {
                        Thread.sleep(600_000);
                    }
                """ + TestPlugins.ONE_HANDLER).build(tmp.resolve("slow.jar"));

        PluginInspection result = impatient.inspect(jar);

        assertThat(result.problems()).singleElement().asString().isEqualTo(jar + ": did not finish loading, starting"
                + " or listing its handlers within 2 s (busy at com.example.bad.BadHandlers.<init>(BadHandlers.java:17))");
        // The worker is interrupted, so the sleeping constructor throws and the private copy goes.
        awaitTrue(() -> isEmpty(work), "the private copy to be deleted");
    }

    @Test
    void leavesARunningPluginOfTheSameIdAlone() throws Exception {
        Path running = Files.createDirectory(tmp.resolve("running"));
        Path v1 = TestPlugins.nic().build(running.resolve("nic-1.jar"));
        PluginManager daemon = new DefaultPluginManager(running);
        String id = daemon.loadPlugin(v1);
        assertThat(daemon.startPlugin(id)).isEqualTo(PluginState.STARTED);
        ClassLoader loaderBefore = daemon.getPluginClassLoader(id);
        try {
            Path v2 = TestPlugins.nic().version("2.0.0").build(tmp.resolve("nic-2.jar"));

            PluginInspection result = inspector.inspect(v2, List.of(AvailablePlugin.of("nic", "1.0.0")));

            assertThat(result.problems()).isEmpty();
            assertThat(result.version()).isEqualTo("2.0.0");
            assertThat(daemon.getPlugin(id).getPluginState()).isEqualTo(PluginState.STARTED);
            assertThat(daemon.getPluginClassLoader(id)).isSameAs(loaderBefore);
            assertThat(daemon.getExtensions(EventHandlers.class, id)).singleElement()
                    .satisfies(h -> assertThat(h.handlers()).extracting(Handler::event)
                            .containsExactly("NIC_RX_FILTER_CHANGED", "RESUME"));
        } finally {
            daemon.unloadPlugin(id);
        }
    }

    @Test
    void releasesThePluginClassLoader() throws Exception {
        InspectorProbe.LOADERS.clear();
        Path jar = TestPlugins.nic().build(tmp.resolve("nic.jar"));

        assertThat(inspector.inspect(jar).valid()).isTrue();

        List<WeakReference<ClassLoader>> loaders = new ArrayList<>(InspectorProbe.LOADERS);
        InspectorProbe.LOADERS.clear();
        assertThat(loaders).isNotEmpty();
        // GC is not forced by System.gc(); allocate until the weak references clear or the deadline passes.
        awaitTrue(() -> {
            System.gc();
            byte[][] pressure = new byte[64][];
            for (int i = 0; i < pressure.length; i++) {
                pressure[i] = new byte[1 << 20];
            }
            return loaders.stream().allMatch(r -> r.get() == null) && pressure.length > 0;
        }, "the plugin's class loader to be collected");
    }

    private void assertWorkDirectoryEmpty() {
        assertThat(isEmpty(work)).as("nothing left in " + work).isTrue();
    }

    private static boolean isEmpty(Path directory) {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                fail("timed out waiting for " + what);
            }
            TimeUnit.MILLISECONDS.sleep(20); // poll interval; the condition decides
        }
    }
}
