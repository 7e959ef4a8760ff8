package com.example.qeventd.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.qeventd.runtime.journal.JournalRecord;
import io.qeventd.runtime.journal.Outcome;
import io.qeventd.testkit.qmp.FakeQmpServer;
import io.qeventd.testkit.qmp.QmpLines;
import io.qeventd.testkit.PluginHarness;
import io.qeventd.testkit.TestSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin's handler in the daemon's own pipeline: events come from a fake QEMU over a real unix
 * socket, are decoded and queued as the daemon does, and the processor runs on a worker.
 */
class AuditLogHandlersTest {
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final String PLUGIN = "audit-log";

    @TempDir
    Path tmp;

    private Path audit;
    private PluginHarness pipeline;
    private final List<FakeQmpServer> servers = new ArrayList<>();

    @BeforeEach
    void startPipelineWithThePluginsHandlers() {
        audit = tmp.resolve("audit.jsonl");
        pipeline = PluginHarness.start();
        register(audit);
    }

    @AfterEach
    void stop() {
        servers.forEach(FakeQmpServer::close);
        pipeline.close();
    }

    /** Registers the handlers as the daemon would after loading the plugin with {@code file} in its settings. */
    private void register(Path file) {
        var settings = TestSettings.of(Map.of("file", file.toString()));
        pipeline.register(PLUGIN, "1.0.0", new AuditLogHandlers(settings).handlers());
    }

    private FakeQmpServer attach(String domain) throws Exception {
        FakeQmpServer qemu = FakeQmpServer.start(tmp.resolve(domain + ".qmp"));
        servers.add(qemu);
        pipeline.attach(domain, qemu.socket());
        qemu.awaitClient(DEADLINE);
        return qemu;
    }

    private List<JournalRecord> awaitJournal(Outcome outcome, int count) throws Exception {
        Predicate<JournalRecord> ours = r -> PLUGIN.equals(r.plugin()) && r.outcome() == outcome;
        return pipeline.journal().await(ours, count, DEADLINE);
    }

    @Test
    void everyEventBecomesOneLineWithDomainEventQemuTimeAndData() throws Exception {
        FakeQmpServer qemu = attach("vm1");
        Map<String, Object> reset = new LinkedHashMap<>();
        reset.put("guest", true);
        reset.put("reason", "guest-reset");
        qemu.emit("STOP", null, 1_764_100_000L, 123);
        qemu.emit("RESET", reset, 1_764_100_001L, 500_000);
        qemu.emit("DEVICE_DELETED", Map.of("path", "/machine/peripheral/usb0", "device", "usb0"), 1_764_100_002L, 7);

        List<JournalRecord> done = awaitJournal(Outcome.PROCESSED, 3);

        assertThat(done).extracting(JournalRecord::event).containsExactly("STOP", "RESET", "DEVICE_DELETED");
        assertThat(done).allSatisfy(r -> assertThat(r.type()).isEqualTo("RECORDED"));
        List<String> lines = AuditLogLines.text(audit);
        assertThat(lines).hasSize(3);
        // An event without data gets an empty object, so every line has the same four fields.
        assertThat(lines.get(0)).isEqualTo("{\"domain\":\"vm1\",\"event\":\"STOP\",\"qemuTime\":1764100000.000123,\"data\":{}}");
        assertThat(lines.get(1)).isEqualTo("{\"domain\":\"vm1\",\"event\":\"RESET\",\"qemuTime\":1764100001.500000,"
                + "\"data\":{\"guest\":true,\"reason\":\"guest-reset\"}}");
        JsonNode deleted = AuditLogLines.read(audit).get(2);
        assertThat(deleted.path("event").asText()).isEqualTo("DEVICE_DELETED");
        assertThat(deleted.path("data")).isEqualTo(AuditLogLines.json("{\"device\":\"usb0\",\"path\":\"/machine/peripheral/usb0\"}"));
    }

    @Test
    void anEventQemuCouldNotTimestampHasANullQemuTime() throws Exception {
        FakeQmpServer qemu = attach("vm1");
        qemu.emit("POWERDOWN", null, -1, -1);

        awaitJournal(Outcome.PROCESSED, 1);

        assertThat(AuditLogLines.text(audit)).containsExactly(
                "{\"domain\":\"vm1\",\"event\":\"POWERDOWN\",\"qemuTime\":null,\"data\":{}}");
    }

    @Test
    void domainsWriteInParallelYetEveryLineIsWholeAndEachDomainKeepsQemusOrder() throws Exception {
        int perDomain = 2_000;
        FakeQmpServer vm1 = attach("vm1");
        FakeQmpServer vm2 = attach("vm2");

        var flood1 = vm1.flood(perDomain, i -> QmpLines.event("SEQ", Map.of("n", i), 1, i));
        var flood2 = vm2.flood(perDomain, i -> QmpLines.event("SEQ", Map.of("n", i), 2, i));
        flood1.get(30, TimeUnit.SECONDS);
        flood2.get(30, TimeUnit.SECONDS);
        awaitJournal(Outcome.PROCESSED, 2 * perDomain);

        List<JsonNode> lines = AuditLogLines.read(audit); // fails on any line two writers mixed
        assertThat(lines).hasSize(2 * perDomain);
        for (String domain : List.of("vm1", "vm2")) {
            List<Integer> ns = lines.stream().filter(l -> l.path("domain").asText().equals(domain))
                    .map(l -> l.path("data").path("n").asInt()).toList();
            assertThat(ns).as(domain).hasSize(perDomain).isSorted();
        }
    }

    @Test
    void aLineThatCannotBeWrittenIsJournaledAsFailedNamingTheFileAndTheNextEventTriesAgain() throws Exception {
        Path dir = tmp.resolve("not-yet");
        Path file = dir.resolve("audit.jsonl");
        pipeline.unregister(PLUGIN);
        register(file);
        FakeQmpServer qemu = attach("vm1");

        qemu.emit("STOP", null);
        JournalRecord failed = awaitJournal(Outcome.FAILED, 1).get(0);
        assertThat(failed.error()).contains("cannot append to the audit log " + file).contains("NoSuchFileException");

        Files.createDirectory(dir);
        qemu.emit("RESUME", null);
        awaitJournal(Outcome.PROCESSED, 1);
        assertThat(AuditLogLines.read(file))
                .extracting(l -> l.path("event").asText()).containsExactly("RESUME");
    }

    @Test
    void aLogRotatorMayMoveTheFileAwayBetweenLines() throws Exception {
        FakeQmpServer qemu = attach("vm1");
        qemu.emit("STOP", null);
        awaitJournal(Outcome.PROCESSED, 1);

        Path rotated = Files.move(audit, tmp.resolve("audit.jsonl.1"));
        qemu.emit("RESUME", null);
        awaitJournal(Outcome.PROCESSED, 2);

        assertThat(AuditLogLines.read(rotated)).extracting(l -> l.path("event").asText()).containsExactly("STOP");
        assertThat(AuditLogLines.read(audit)).extracting(l -> l.path("event").asText()).containsExactly("RESUME");
    }
}
