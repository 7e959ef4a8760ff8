package io.qeventd.runtime.config;

import static io.qeventd.runtime.config.ConfigFixtures.refusedText;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** metrics, events, journalRotate and kafka: what they default to, what they accept and how they refuse. */
class OperationsConfigTest {
    private static final Path DIR = Path.of("/etc/qeventd");

    private static QeventdConfig parse(String yaml) throws ConfigException {
        return ConfigLoader.parse(yaml, "qeventd.yaml", DIR);
    }

    @Test
    void everythingIsOffByDefault() throws Exception {
        QeventdConfig c = parse("");

        assertThat(c.metrics().listen()).isEmpty();
        assertThat(c.events()).isEqualTo(EventsConfig.defaults());
        assertThat(c.journalRotate()).isEmpty();
        assertThat(c.kafka()).isEmpty();
    }

    @Test
    void sectionsAreReadWithTheirUnits() throws Exception {
        QeventdConfig c = parse("""
                journal: events.jsonl
                metrics:
                  listen: "[::1]:9464"
                events:
                  recent: 10
                  clientBuffer: 5
                journalRotate:
                  maxSize: 64KiB
                  keep: 3
                  gzip: true
                kafka:
                  bootstrapServers: k1:9092,k2:9093
                  topic: vm-events
                  host: hv01
                  spoolMaxSize: 2G
                  properties:
                    compression.type: lz4
                    linger.ms: 5
                """);

        assertThat(c.metrics().listen()).contains(InetSocketAddress.createUnresolved("::1", 9464));
        assertThat(c.events()).isEqualTo(new EventsConfig(10, 5));
        assertThat(c.journalRotate()).contains(new JournalRotateConfig(64 * 1024, 3, true));
        assertThat(c.kafka()).hasValueSatisfying(k -> {
            assertThat(k.bootstrapServers()).isEqualTo("k1:9092,k2:9093");
            assertThat(k.topic()).isEqualTo("vm-events");
            assertThat(k.host()).isEqualTo("hv01");
            assertThat(k.spool()).isEqualTo(DIR.resolve("kafka-spool"));
            assertThat(k.spoolMaxSize()).isEqualTo(2L << 30);
            assertThat(k.properties()).isEqualTo(Map.of("compression.type", "lz4", "linger.ms", "5"));
        });
    }

    @Test
    void badValuesAreNamedWithTheirPlace() {
        ConfigException e = refusedText("""
                metrics:
                  listen: localhost
                journalRotate:
                  maxSize: 12 parsecs
                  keep: 0
                kafka:
                  topic: "no spaces"
                """);

        assertThat(e.errors()).extracting(ConfigError::key, ConfigError::message).containsExactlyInAnyOrder(
                tuple("metrics.listen",
                        "expected HOST:PORT (e.g. 127.0.0.1:9464), got 'localhost'"),
                tuple("journalRotate.maxSize",
                        "expected " + SizeSyntax.EXPECTED + ", got '12 parsecs'"),
                tuple("journalRotate.keep", "expected an integer >= 1, got 0"),
                tuple("kafka",
                        "missing required key 'bootstrapServers' (host:port[,host:port...])"),
                tuple("kafka.topic",
                        "'no spaces' is not a Kafka topic name (1-249 of a-z A-Z 0-9 . _ -)"),
                tuple("journalRotate",
                        "journalRotate needs 'journal' (the file to rotate)"));
    }

    @Test
    void sizesAreBinaryWhicheverWayTheyAreSpelled() {
        assertThat(SizeSyntax.parse("4096")).isEqualTo(4096);
        assertThat(SizeSyntax.parse("512k")).isEqualTo(512 * 1024);
        assertThat(SizeSyntax.parse("100MB")).isEqualTo(100L << 20);
        assertThat(SizeSyntax.parse("1 GiB")).isEqualTo(1L << 30);
        assertThat(SizeSyntax.format(100L << 20)).isEqualTo("100MiB");
    }
}
