package io.qeventd.runtime.config;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Forwarding of every event and outcome to Apache Kafka ({@code kafka.*}); off unless the section is
 * written.
 *
 * @param bootstrapServers the brokers to connect to first, {@code host:port[,host:port...]}
 * @param topic            the topic records go to
 * @param host             this host's name in record keys and ids (default: the machine's host name)
 * @param spool            the directory where records wait on disk while the broker is away
 * @param spoolMaxSize     how many bytes the spool may hold; records beyond are counted and announced
 * @param properties       further Kafka producer properties, passed as they are
 */
public record KafkaConfig(String bootstrapServers, String topic, String host, Path spool, long spoolMaxSize,
                          Map<String, String> properties) {
    public static final String DEFAULT_TOPIC = "qeventd";
    public static final long DEFAULT_SPOOL_MAX_SIZE = 256L << 20;

    public KafkaConfig {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(spool, "spool");
        properties = Map.copyOf(properties);
    }

    /** Why {@code servers} cannot be a bootstrap list, or empty when it can. */
    static Optional<String> serversProblem(String servers) {
        for (String s : servers.split(",", -1)) {
            String t = s.strip();
            int colon = t.lastIndexOf(':');
            if (t.isEmpty() || colon <= 0 || colon == t.length() - 1 || !t.substring(colon + 1).chars()
                    .allMatch(Character::isDigit)) {
                return Optional.of("expected host:port[,host:port...], got '" + servers + "'");
            }
        }
        return Optional.empty();
    }

    /** Why {@code topic} is not a legal Kafka topic name, or empty when it is. */
    static Optional<String> topicProblem(String topic) {
        if (topic.isEmpty() || topic.length() > 249 || !topic.matches("[a-zA-Z0-9._-]+")
                || topic.equals(".") || topic.equals("..")) {
            return Optional.of("'" + topic + "' is not a Kafka topic name (1-249 of a-z A-Z 0-9 . _ -)");
        }
        return Optional.empty();
    }

    /** The machine's host name, as the kernel knows it. */
    static String localHostName() {
        try {
            String n = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
            if (!n.isEmpty()) {
                return n;
            }
        } catch (IOException | SecurityException ignored) {
            // fall through to the resolver's idea of it
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
