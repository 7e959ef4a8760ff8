package com.example.qeventd.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.qeventd.runtime.journal.JournalRecord;
import io.qeventd.runtime.journal.Outcome;
import io.qeventd.runtime.plugin.PluginInspection;
import io.qeventd.runtime.plugin.PluginStatus;
import io.qeventd.testkit.FakeQemu;
import io.qeventd.testkit.PluginHarness;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar as the daemon takes it: dropped into a watched plugins directory, checked, loaded by
 * PF4J into a class loader of its own, created through Guice with its settings, and fed events by a fake
 * QEMU over a unix socket. Runs under failsafe after {@code package}; the plugin's classes are not on the
 * test's class path, so anything missing from the jar fails here.
 */
class AuditLogPluginIT {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final String PLUGIN = "audit-log";

    @TempDir
    Path tmp;

    @RegisterExtension
    final FakeQemu qemu = new FakeQemu();

    private Path jar;
    private Path plugins;
    private Path audit;
    private final List<PluginHarness> harnesses = new ArrayList<>();

    @BeforeEach
    void findTheJar() throws Exception {
        jar = PluginHarness.packagedJar();
        // The daemon refuses plugins that others could replace: keep the test's directories private.
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx------"));
        plugins = Files.createDirectory(tmp.resolve("plugins"));
        audit = tmp.resolve("audit.jsonl");
    }

    @AfterEach
    void stop() {
        harnesses.forEach(PluginHarness::close);
    }

    /** The daemon's pipeline attached to the fake QEMU, with {@code settings} as its configuration's pluginSettings. */
    private PluginHarness harness(Map<String, Object> settings) throws Exception {
        PluginHarness.Builder b = PluginHarness.builder();
        if (!settings.isEmpty()) {
            b.settings(PLUGIN, settings);
        }
        PluginHarness harness = b.build();
        harnesses.add(harness);
        harness.attach("vm1", qemu.socket());
        qemu.server().awaitClient(DEADLINE);
        return harness;
    }

    private Map<String, Object> auditSettings() {
        return Map.of("file", audit.toString());
    }

    /** Copies the jar in under a temporary name, then renames it into place: an installer's atomic copy. */
    private Path install() throws IOException {
        Path partial = Files.copy(jar, plugins.resolve(".audit-log.jar.tmp"));
        return Files.move(partial, plugins.resolve("audit-log.jar"), StandardCopyOption.ATOMIC_MOVE);
    }

    private static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(end);
            Thread.sleep(20); // polling the watcher's outcome, with a deadline
        }
    }

    @Test
    void aJarDroppedIntoTheWatchedPluginsDirectoryAuditsEveryEventInQemusOrder() throws Exception {
        PluginHarness harness = harness(auditSettings());
        harness.watch(plugins);
        install();
        eventually("audit-log is loaded from the plugins directory", () -> harness.isLoaded(PLUGIN));
        assertThat(getClass().getClassLoader().getResource("com/example/qeventd/audit/AuditLogHandlers.class"))
                .as("the plugin's classes come from the jar alone").isNull();

        qemu.server().emit("STOP", null, 1_764_100_000L, 1);
        qemu.server().emit("RESUME", null, 1_764_100_001L, 2);
        qemu.server().emit("RESET", Map.of("guest", false, "reason", "host-qmp-system-reset"), 1_764_100_002L, 3);

        List<JournalRecord> processed = harness.journal().await(
                r -> PLUGIN.equals(r.plugin()) && r.outcome() == Outcome.PROCESSED, 3, DEADLINE);
        assertThat(processed).extracting(JournalRecord::event).containsExactly("STOP", "RESUME", "RESET");
        assertThat(processed).allSatisfy(r -> {
            assertThat(r.domain()).isEqualTo("vm1");
            assertThat(r.pluginVersion()).isEqualTo("1.0.0");
            assertThat(r.type()).isEqualTo("RECORDED");
            assertThat(r.error()).isNull();
        });

        List<JsonNode> lines = AuditLogLines.read(audit);
        assertThat(lines).extracting(l -> l.path("event").asText()).containsExactly("STOP", "RESUME", "RESET");
        assertThat(lines).allSatisfy(l -> assertThat(l.path("domain").asText()).isEqualTo("vm1"));
        assertThat(lines).extracting(l -> l.path("qemuTime").decimalValue().toPlainString())
                .containsExactly("1764100000.000001", "1764100001.000002", "1764100002.000003");
        assertThat(lines.get(2).path("data")).isEqualTo(
                AuditLogLines.json("{\"guest\":false,\"reason\":\"host-qmp-system-reset\"}"));
        assertThat(harness.plugins()).singleElement().satisfies(s -> {
            assertThat(s.id()).isEqualTo(PLUGIN);
            assertThat(s.state()).hasToString("started");
            assertThat(s.events()).containsExactly("*");
        });
    }

    @Test
    void theCheckFindsTheJarValidWithOneHandlerForEveryEvent() throws Exception {
        PluginInspection check = harness(auditSettings()).check(jar);

        assertThat(check.problems()).isEmpty();
        assertThat(check.valid()).isTrue();
        assertThat(check.id()).isEqualTo(PLUGIN);
        assertThat(check.version()).isEqualTo("1.0.0");
        assertThat(check.requires()).isEqualTo(">=0.1.0");
        assertThat(check.warnings()).isEmpty();
        assertThat(check.handlers()).singleElement().satisfies(h -> {
            assertThat(h.event()).isEqualTo("*");
            assertThat(h.type()).isEqualTo("RECORDED");
            assertThat(h.payloadType()).isEqualTo(Map.class.getName());
            assertThat(h.coalescing()).isFalse();
            assertThat(h.extension()).isEqualTo("com.example.qeventd.audit.AuditLogHandlers");
        });
        assertThat(check.report()).startsWith(jar + ": valid plugin audit-log 1.0.0 (requires api >=0.1.0)\n"
                + "  handler * -> RECORDED");
    }

    @Test
    void withoutItsFileSettingThePluginIsNeitherValidNorLoadedAndBothSayWhichKeyIsMissing() throws Exception {
        PluginHarness harness = harness(Map.of());
        PluginInspection check = harness.check(jar);
        assertThat(check.valid()).isFalse();
        assertThat(check.problems()).anySatisfy(p -> assertThat(p).contains("pluginSettings.audit-log.file is not set"));

        Files.copy(jar, plugins.resolve("audit-log.jar"));
        PluginStatus status = harness.load(plugins.resolve("audit-log.jar"));
        assertThat(status.state()).hasToString("failed");
        assertThat(status.error()).contains("pluginSettings.audit-log.file is not set");
        assertThat(harness.isLoaded(PLUGIN)).isFalse();

        qemu.server().emit("STOP", null);
        JournalRecord r = harness.journal().awaitOne(x -> x.event().equals("STOP"), DEADLINE);
        assertThat(r.outcome()).isEqualTo(Outcome.UNHANDLED);
        assertThat(audit).doesNotExist();
    }

    @Test
    void anUnloadedAuditLogLeavesNothingThatKeepsItsClassesInMemory() throws Exception {
        PluginHarness harness = harness(auditSettings());
        assertThat(harness.load(install()).error()).isNull();
        qemu.server().emit("STOP", null);
        harness.journal().awaitOne(r -> PLUGIN.equals(r.plugin()) && r.outcome() == Outcome.PROCESSED, DEADLINE);
        WeakReference<ClassLoader> loader = harness.classLoaderOf(PLUGIN);
        assertThat(loader.get()).as("loaded by the plugin's own class loader").isNotSameAs(getClass().getClassLoader());

        harness.unload(PLUGIN);

        assertThat(collected(loader)).as("the plugin's class loader became collectable").isTrue();
    }

    /** Collects garbage, with allocation pressure, until the reference clears or the deadline passes. */
    private static boolean collected(WeakReference<?> ref) throws InterruptedException {
        long end = System.nanoTime() + DEADLINE.toNanos();
        List<byte[]> pressure = new ArrayList<>();
        while (ref.get() != null && System.nanoTime() < end) {
            System.gc();
            pressure.add(new byte[1 << 20]);
            if (pressure.size() > 64) {
                pressure.clear();
            }
            Thread.sleep(20); // a moment for the collector between rounds
        }
        return ref.get() == null;
    }
}
