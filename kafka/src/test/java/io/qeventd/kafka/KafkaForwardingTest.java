package io.qeventd.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qeventd.runtime.admin.StatusTable;
import io.qeventd.runtime.daemon.Daemon;
import io.qeventd.runtime.journal.Outcome;
import io.qeventd.testkit.TestDaemon;
import io.qeventd.testkit.vm.Eventually;
import io.qeventd.testkit.vm.Qemu;
import io.qeventd.testkit.vm.QemuRawQmp;
import io.qeventd.testkit.qmp.FakeQmpServer;
import io.qeventd.testkit.qmp.QmpLines;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Forwarding to a real Kafka broker (KRaft, in a JVM of its own, shared by the class): from a daemon watching
 * a real QEMU and fake QEMUs, through the broker being killed and started again, a spool that fills up, and no
 * broker at all.
 */
class KafkaForwardingTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HOST = "hv-test";
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static KafkaBroker broker;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBroker() throws IOException {
        broker = KafkaBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    /** One record as a consumer sees it. */
    private record Received(int partition, String key, String headerId, JsonNode value) {
        String id() {
            return value.path("id").asText();
        }

        String domain() {
            return value.path("domain").isNull() ? null : value.path("domain").asText();
        }

        String event() {
            return value.path("event").asText();
        }

        long seq() {
            return value.path("seq").asLong();
        }
    }

    @Test
    void eachDomainsRecordsArriveInOrderKeyedByHostAndDomain() throws Exception {
        String topic = "order";
        broker.createTopic(topic, 3);
        int flood = 1500;
        try (Qemu qemu = Qemu.builder().qmpSocket("daemon").qmpSocket("test").paused().start();
             FakeQmpServer fake1 = FakeQmpServer.start(dir.resolve("fake1.qmp"));
             FakeQmpServer fake2 = FakeQmpServer.start(dir.resolve("fake2.qmp"));
             TestDaemon f = TestDaemon.in(dir).domain("vm", qemu.qmpSocket("daemon"))
                     .domain("fake1", fake1.socket()).domain("fake2", fake2.socket())
                     .yaml(kafka(topic, broker.bootstrapServers(), null))) {
            f.start();
            for (String d : List.of("vm", "fake1", "fake2")) {
                f.awaitConnected(d, DEADLINE);
            }
            fake1.flood(flood, i -> QmpLines.event("TICK", Map.of("n", i), 1, i));
            fake2.flood(flood, i -> QmpLines.event("TICK", Map.of("n", i), 1, i));
            try (QemuRawQmp qmp = QemuRawQmp.connect(qemu.qmpSocket("test"), Duration.ofSeconds(10))) {
                for (int i = 0; i < 3; i++) {
                    assertThat(qmp.execute("cont").has("return")).isTrue();
                    assertThat(qmp.execute("stop").has("return")).isTrue();
                }
            }

            List<Received> got = consume(topic, rs -> unique(rs, "fake1").size() >= flood
                    && unique(rs, "fake2").size() >= flood
                    && unique(rs, "vm").stream().filter(r -> r.event().equals("STOP")).count() >= 3);

            for (Received r : got) {
                assertThat(r.key()).isEqualTo(HOST + "/" + r.domain());
                assertThat(r.headerId()).isEqualTo(r.id());
                assertThat(r.value().path("host").asText()).isEqualTo(HOST);
                assertThat(r.value().path("outcome").asText()).isEqualTo("unhandled");
            }
            for (String d : List.of("vm", "fake1", "fake2")) {
                List<Received> mine = unique(got, d);
                assertThat(mine.stream().map(Received::partition).distinct()).as("partitions of %s", d).hasSize(1);
                assertThat(mine.stream().map(r -> r.value().path("connection").asLong()).distinct()).hasSize(1);
                assertThat(mine.stream().map(Received::seq).toList()).as("seq of %s in arrival order", d)
                        .isSortedAccordingTo(Long::compare).doesNotHaveDuplicates();
            }
            for (String d : List.of("fake1", "fake2")) {
                List<Integer> ns = unique(got, d).stream().map(r -> r.value().path("data").path("n").asInt())
                        .toList();
                assertThat(ns).as("the data of %s's events, in arrival order", d)
                        .isEqualTo(IntStream.range(0, flood).boxed().toList());
            }
            assertThat(unique(got, "vm").stream().map(Received::event).filter(e -> !e.equals("RESET")).toList())
                    .as("QEMU's own events, in the order QEMU sent them")
                    .startsWith("RESUME", "STOP", "RESUME", "STOP", "RESUME", "STOP");
        }
    }

    @Test
    void recordsWaitInTheSpoolWhileTheBrokerIsDownAndEveryOneArrivesOnceItIsBack() throws Exception {
        String topic = "outage";
        broker.createTopic(topic, 3);
        Path spool = dir.resolve("spool");
        try (FakeQmpServer vm = FakeQmpServer.start(dir.resolve("vm1.qmp"));
             TestDaemon f = TestDaemon.in(dir).domain("vm1", vm.socket())
                     .yaml(kafka(topic, broker.bootstrapServers(), null))) {
            Daemon d = f.start();
            f.awaitConnected("vm1", DEADLINE);
            int before = 5000;
            int during = 1000;
            int total = before + during + 500;
            vm.flood(before, i -> QmpLines.event("TICK", Map.of("n", i), 1, i));
            consume(topic, rs -> !unique(rs, "vm1").isEmpty());

            // Mid-stream: the first records have arrived, more are being sent.
            broker.kill();
            long unacknowledgedAtKill = pendingBytes(spool);
            try {
                vm.flood(during, i -> QmpLines.event("TICK", Map.of("n", before + i), 1, i));
                awaitUnhandled(d, before + during);
                long pending = Eventually.await("the spool holds the records the broker did not take", DEADLINE,
                        () -> pendingBytes(spool), p -> p >= during * 200L);
                assertThat(pending).isPositive();
            } finally {
                broker.restart();
            }
            vm.flood(total - before - during, i -> QmpLines.event("TICK", Map.of("n", before + during + i), 1, i));

            List<Received> got = consume(topic, rs -> unique(rs, "vm1").size() >= total);
            List<Received> once = unique(got, "vm1");
            assertThat(once.stream().map(r -> r.value().path("data").path("n").asInt()).toList())
                    .as("every event once after dropping duplicates by id, in order")
                    .isEqualTo(IntStream.range(0, total).boxed().toList());
            assertThat(once.stream().map(Received::seq).toList()).isSortedAccordingTo(Long::compare);
            Map<String, String> firstValue = new HashMap<>();
            for (Received r : got) {
                String v = r.value().toString();
                assertThat(firstValue.putIfAbsent(r.id(), v)).as("a resent record is the same record")
                        .isIn(null, v);
            }
            System.out.printf("outage: %d byte(s) in the spool not acknowledged at the kill; %d record(s) received,"
                    + " %d after dropping duplicates%n", unacknowledgedAtKill, got.size(), once.size());
            Eventually.await("everything sent is acknowledged", DEADLINE, () -> pendingBytes(spool) == 0);
        }
    }

    @Test
    void aDaemonKilledMidStreamSendsAgainFromTheLastAcknowledgedRecordWhenItStarts() throws Exception {
        String topic = "crash";
        broker.createTopic(topic, 3);
        Path spool = dir.resolve("spool");
        try (FakeQmpServer vm = FakeQmpServer.start(dir.resolve("vm1.qmp"))) {
            Path config = TestDaemon.in(dir).domain("vm1", vm.socket())
                    .yaml(kafka(topic, broker.bootstrapServers(), null)).writeConfig();
            Set<String> spooled = new HashSet<>();
            long unacknowledged;
            try (DaemonProcess first = DaemonProcess.run(config, dir, "first")) {
                vm.awaitClient(DEADLINE);
                vm.flood(5000, i -> QmpLines.event("TICK", Map.of("n", i), 1, i));
                consume(topic, rs -> !unique(rs, "vm1").isEmpty());
                first.kill();
            }
            for (Path segment : segments(spool)) {
                for (String line : Files.readAllLines(segment)) {
                    spooled.add(ForwardedRecord.parse(line.getBytes(StandardCharsets.UTF_8)).id());
                }
            }
            unacknowledged = pendingBytes(spool);
            assertThat(spooled).isNotEmpty();

            try (DaemonProcess second = DaemonProcess.run(config, dir, "second")) {
                List<Received> got = consume(topic, rs -> rs.stream().map(Received::id).collect(Collectors.toSet())
                        .containsAll(spooled));
                List<Received> once = unique(got, "vm1");
                assertThat(once.stream().map(Received::seq).toList())
                        .as("the first daemon's records, none missing, in order once duplicates are dropped")
                        .isEqualTo(LongStream.rangeClosed(1, once.size()).boxed().toList());
                System.out.printf("crash: %d record(s) in the spool at the kill, %d byte(s) of them not"
                        + " acknowledged; %d received, %d after dropping duplicates%n", spooled.size(),
                        unacknowledged, got.stream().filter(r -> "vm1".equals(r.domain())).count(), once.size());
                assertThat(second.stop()).as(second.tail()).isZero();
            }
        }
    }

    @Test
    void aFullSpoolDropsRecordsCountsThemAndAnnouncesThemOnceTheBrokerIsBack() throws Exception {
        String topic = "overflow";
        broker.createTopic(topic, 3);
        Path spool = dir.resolve("spool");
        int events = 5000;
        String pad = "x".repeat(200);
        broker.kill();
        try (FakeQmpServer vm = FakeQmpServer.start(dir.resolve("vm1.qmp"));
             TestDaemon f = TestDaemon.in(dir).domain("vm1", vm.socket())
                     .yaml(kafka(topic, broker.bootstrapServers(), "1MiB"))) {
            Daemon d;
            try {
                d = f.start();
                f.awaitConnected("vm1", DEADLINE);
                vm.flood(events, i -> QmpLines.event("TICK", Map.of("n", i, "pad", pad), 1, i));
                awaitUnhandled(d, events);
                d.journal().flush(DEADLINE);
                long pending = pendingBytes(spool);
                assertThat(pending).as("the spool is full and holds no more than its size")
                        .isLessThanOrEqualTo(1L << 20).isGreaterThan((1L << 20) - 2 * ((1L << 20) / 8));
            } finally {
                broker.restart();
            }
            List<Received> got = consume(topic, rs -> {
                long dropped = rs.stream().filter(r -> r.event().equals(KafkaSink.DROPPED_EVENT))
                        .mapToLong(r -> r.value().path("dropped").asLong()).sum();
                return dropped > 0 && unique(rs, "vm1").size() + dropped >= events;
            });
            List<Received> summaries = got.stream().filter(r -> r.event().equals(KafkaSink.DROPPED_EVENT)).toList();
            assertThat(summaries).hasSize(1);
            Received summary = summaries.get(0);
            long dropped = summary.value().path("dropped").asLong();
            assertThat(summary.key()).isEqualTo(HOST);
            assertThat(summary.value().path("outcome").asText()).isEqualTo("lost");
            assertThat(summary.value().path("error").asText()).startsWith(dropped + " record(s) not forwarded");
            List<Received> once = unique(got, "vm1");
            assertThat(once.size() + dropped).isEqualTo(events);
            assertThat(once.stream().map(r -> r.value().path("data").path("n").asInt()).toList())
                    .as("the records kept are the first ones, in order")
                    .isEqualTo(IntStream.range(0, once.size()).boxed().toList());

            vm.emit("AFTER", Map.of("n", events));
            consume(topic, rs -> unique(rs, "vm1").stream().anyMatch(r -> r.event().equals("AFTER")));
        }
    }

    @Test
    void theDaemonStartsAndRunsWhileNoBrokerIsReachableAndTheNextStartSendsWhatWaited() throws Exception {
        Path spool = dir.resolve("spool");
        String nowhere = "127.0.0.1:" + KafkaBroker.freePort();
        try (FakeQmpServer vm = FakeQmpServer.start(dir.resolve("vm1.qmp"));
             TestDaemon f = TestDaemon.in(dir).domain("vm1", vm.socket())
                     .yaml(kafka("nowhere", nowhere, null))) {
            Daemon d = f.start();
            f.awaitConnected("vm1", DEADLINE);
            vm.flood(100, i -> QmpLines.event("TICK", Map.of("n", i), 1, i));
            awaitUnhandled(d, 100);
            Eventually.await("the records wait in the spool", DEADLINE, () -> pendingBytes(spool),
                    p -> p >= 100L * 200);
            vm.emit("LATER", null);
            awaitUnhandled(d, 101);
            assertThat(d.status().domains()).allMatch(s -> s.connected());
            // qeventd status says so: the broker cannot be reached and the records wait.
            Map<String, Object> forwarding = Eventually.await("status shows the broker away", DEADLINE,
                    () -> d.status().forwarding().get("kafka"), k -> k != null
                            && "broker unreachable".equals(k.get("state")));
            assertThat(((Number) forwarding.get("waitingBytes")).longValue()).isGreaterThan(100L * 200);
            assertThat(forwarding.get("sent")).isEqualTo(0L);
            assertThat(forwarding.get("error")).asString().isNotBlank();
            assertThat(StatusTable.lines(d.status())).anyMatch(l -> l.startsWith("forwarding kafka: state broker"
                    + " unreachable, waitingBytes "));
        }
        assertThat(pendingBytes(spool)).as("kept for the next start").isGreaterThan(100L * 200);

        String topic = "later";
        broker.createTopic(topic, 3);
        try (TestDaemon f = TestDaemon.in(dir).yaml(kafka(topic, broker.bootstrapServers(), null))) {
            f.start();
            List<Received> got = consume(topic, rs -> unique(rs, "vm1").size() >= 101);
            assertThat(unique(got, "vm1").stream().map(Received::seq).toList())
                    .isEqualTo(LongStream.rangeClosed(1, 101).boxed().toList());
            assertThat(unique(got, "vm1").get(100).event()).isEqualTo("LATER");
        }
    }

    @Test
    void aBadProducerPropertyIsAStartErrorNamingIt() throws Exception {
        try (TestDaemon f = TestDaemon.in(dir).yaml(kafka("t", "127.0.0.1:9", null)
                + "  properties:\n    linger.ms: soon\n")) {
            assertThatThrownBy(f::start).hasMessageContaining("kafka.properties.linger.ms");
        }
    }

    // ---- helpers ----

    private String kafka(String topic, String servers, String spoolMaxSize) {
        return "kafka:\n"
                + "  bootstrapServers: " + servers + "\n"
                + "  topic: " + topic + "\n"
                + "  host: " + HOST + "\n"
                + "  spool: " + dir.resolve("spool") + "\n"
                + (spoolMaxSize == null ? "" : "  spoolMaxSize: " + spoolMaxSize + "\n");
    }

    private static void awaitUnhandled(Daemon d, long n) {
        Eventually.await(n + " unhandled events journaled", DEADLINE,
                () -> d.journal().counts().get(Outcome.UNHANDLED), c -> c >= n);
    }

    private static List<Path> segments(Path spool) throws IOException {
        try (Stream<Path> files = Files.list(spool)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".jsonl")).sorted().toList();
        }
    }

    private static long pendingBytes(Path spool) {
        try {
            return Spool.pendingBytes(spool);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The records of {@code domain} in arrival order, each id once (its first arrival). */
    private static List<Received> unique(List<Received> rs, String domain) {
        Set<String> seen = new HashSet<>();
        List<Received> out = new ArrayList<>();
        for (Received r : rs) {
            if (domain.equals(r.domain()) && seen.add(r.id())) {
                out.add(r);
            }
        }
        return out;
    }

    /**
     * Reads {@code topic} from its beginning until {@code done} holds for what was read (each partition in its
     * order; partitions one after the other).
     */
    private static List<Received> consume(String topic, Predicate<List<Received>> done) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        Map<Integer, List<Received>> byPartition = new LinkedHashMap<>();
        long end = System.nanoTime() + DEADLINE.toNanos();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<PartitionInfo> parts = c.partitionsFor(topic, Duration.ofSeconds(20));
            List<TopicPartition> tps = parts.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            c.assign(tps);
            c.seekToBeginning(tps);
            while (true) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    Header h = r.headers().lastHeader(ForwardedRecord.ID_HEADER);
                    byPartition.computeIfAbsent(r.partition(), k -> new ArrayList<>())
                            .add(new Received(r.partition(), r.key(),
                                    h == null ? null : new String(h.value(), StandardCharsets.UTF_8),
                                    JSON.readTree(r.value())));
                }
                List<Received> all = byPartition.values().stream().flatMap(List::stream)
                        .collect(Collectors.toList());
                if (done.test(all)) {
                    return all;
                }
                if (System.nanoTime() - end > 0) {
                    Map<String, Long> counts = all.stream().collect(Collectors.groupingBy(
                            r -> String.valueOf(r.domain()), Collectors.counting()));
                    throw new AssertionError("not within " + DEADLINE.toSeconds() + " s: the records expected on "
                            + topic + "; got " + all.size() + " by domain " + counts + "\n" + broker.tail());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
