package io.qeventd.kafka;

import io.qeventd.runtime.config.KafkaConfig;
import io.qeventd.runtime.config.QeventdConfig;
import io.qeventd.runtime.journal.JournalSink;
import io.qeventd.runtime.journal.JournalSinkProvider;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka forwarding for the daemon ({@code kafka.*}), found through {@link java.util.ServiceLoader}. Opening it
 * checks the producer properties and the spool directory, and starts the sender thread; it never waits for a
 * broker, so the daemon starts and runs while none is reachable.
 */
public final class KafkaSinkProvider implements JournalSinkProvider {
    private static final Logger log = LoggerFactory.getLogger(KafkaSinkProvider.class);

    @Override
    public String section() {
        return "kafka";
    }

    @Override
    public Optional<JournalSink> open(QeventdConfig config) {
        return config.kafka().map(KafkaSinkProvider::start);
    }

    static KafkaSink start(KafkaConfig k) {
        Map<String, Object> props = ProducerSettings.of(k);
        Spool spool;
        try {
            spool = Spool.open(k.spool(), k.spoolMaxSize());
        } catch (IOException e) {
            throw new IllegalStateException("kafka.spool: cannot use " + k.spool() + ": " + e.getMessage(), e);
        }
        KafkaSender sender = new KafkaSender(spool, k.topic(), () -> producer(props));
        sender.start();
        log.info("kafka: forwarding to topic {} at {} as host {}; spool {} (up to {} bytes)", k.topic(),
                k.bootstrapServers(), k.host(), k.spool(), k.spoolMaxSize());
        return new KafkaSink(k.host(), k.spool(), spool, sender);
    }

    private static Producer<String, byte[]> producer(Map<String, Object> props) {
        return new KafkaProducer<>(props);
    }
}
