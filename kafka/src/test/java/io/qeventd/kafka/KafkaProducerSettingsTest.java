package io.qeventd.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qeventd.runtime.config.KafkaConfig;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

/** What the producer is given, and how a wrong {@code kafka.properties} entry is refused: by its name. */
class KafkaProducerSettingsTest {

    @Test
    void theProducerIsIdempotentWaitsForAllReplicasAndKeepsOrder() {
        Map<String, Object> p = ProducerSettings.of(config(Map.of("compression.type", "lz4", "linger.ms", "20")));
        assertThat(p).containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true")
                .containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                .containsEntry(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5")
                .containsEntry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "k1:9092,k2:9092")
                .containsEntry(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4")
                .containsEntry(ProducerConfig.LINGER_MS_CONFIG, "20");
    }

    @Test
    void anUnknownPropertyIsRefusedByName() {
        assertThatThrownBy(() -> ProducerSettings.of(config(Map.of("lingr.ms", "5"))))
                .hasMessage("kafka.properties.lingr.ms: not a Kafka producer property");
    }

    @Test
    void aBadValueIsRefusedByNameWithKafkasReason() {
        assertThatThrownBy(() -> ProducerSettings.of(config(Map.of("linger.ms", "soon"))))
                .hasMessageStartingWith("kafka.properties.linger.ms: ");
        assertThatThrownBy(() -> ProducerSettings.of(config(Map.of("compression.type", "rar"))))
                .hasMessageStartingWith("kafka.properties.compression.type: ");
    }

    @Test
    void whatTheGuaranteesRestOnCannotBeWeakened() {
        assertThatThrownBy(() -> ProducerSettings.of(config(Map.of("acks", "1"))))
                .hasMessageStartingWith("kafka.properties.acks: must be all");
        assertThatThrownBy(() -> ProducerSettings.of(config(Map.of("enable.idempotence", "false"))))
                .hasMessageStartingWith("kafka.properties.enable.idempotence: must be true");
        assertThatThrownBy(() -> ProducerSettings.of(config(Map.of("max.in.flight.requests.per.connection", "6"))))
                .hasMessageStartingWith("kafka.properties.max.in.flight.requests.per.connection: must be 1 to 5");
        assertThatThrownBy(() -> ProducerSettings.of(config(Map.of("bootstrap.servers", "x:1"))))
                .hasMessageStartingWith("kafka.properties.bootstrap.servers: cannot be set here");
        assertThatThrownBy(() -> ProducerSettings.of(config(Map.of("delivery.timeout.ms", "1000"))))
                .hasMessageStartingWith("kafka.properties.delivery.timeout.ms: must be at least");
    }

    private static KafkaConfig config(Map<String, String> properties) {
        return new KafkaConfig("k1:9092,k2:9092", "qeventd", "hv01", Path.of("/nonexistent/spool"), 1 << 20,
                properties);
    }
}
