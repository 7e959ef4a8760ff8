package io.qeventd.kafka;

import io.qeventd.runtime.config.KafkaConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The producer's properties: what forwarding relies on (an idempotent producer that waits for every in-sync
 * replica and never reorders), defaults that suit a sender thread of its own, then the operator's
 * {@code kafka.properties}, each checked against Kafka's own definition of the producer's settings.
 */
final class ProducerSettings {
    /** Set from {@code kafka.*} or by the forwarder itself: an entry in {@code kafka.properties} is refused. */
    private static final Map<String, String> OWNED = Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "it is kafka.bootstrapServers",
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, "records are written by the forwarder",
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, "records are written by the forwarder",
            ProducerConfig.TRANSACTIONAL_ID_CONFIG, "the forwarder does not use transactions");
    /** How long send may wait for the topic's metadata; the sender thread is the only one that waits. */
    static final int MAX_BLOCK_MS = 5_000;

    private ProducerSettings() {
    }

    /**
     * The producer properties for {@code k}.
     *
     * @throws IllegalStateException naming the {@code kafka.properties} entry that is wrong, and why
     */
    static Map<String, Object> of(KafkaConfig k) {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "qeventd-" + k.host());
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Integer.toString(MAX_BLOCK_MS));
        // The spool holds what is not acknowledged: the producer retries for as long as the broker is away,
        // in order, rather than failing records that would then have to be resent behind later ones.
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.toString(Integer.MAX_VALUE));
        Map<String, String> user = new TreeMap<>(k.properties());
        Set<String> known = ProducerConfig.configNames();
        for (Map.Entry<String, String> e : user.entrySet()) {
            String name = e.getKey();
            if (OWNED.containsKey(name)) {
                throw problem(name, "cannot be set here: " + OWNED.get(name));
            }
            if (!known.contains(name)) {
                throw problem(name, "not a Kafka producer property");
            }
            requireSafe(name, e.getValue().strip());
            p.put(name, e.getValue());
        }
        Map<String, ConfigValue> checked = ProducerConfig.configDef().validateAll(asStrings(p));
        for (String name : user.keySet()) {
            ConfigValue v = checked.get(name);
            if (v != null && !v.errorMessages().isEmpty()) {
                throw problem(name, String.join("; ", v.errorMessages()));
            }
        }
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, k.bootstrapServers());
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.putIfAbsent(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        requireDeliveryTimeout(p);
        return p;
    }

    /** What the forwarder's guarantees rest on: idempotence, acks=all, at most 5 requests in flight, retries. */
    private static void requireSafe(String name, String value) {
        switch (name) {
            case ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG -> {
                if (!value.equalsIgnoreCase("true")) {
                    throw problem(name, "must be true: forwarding relies on the idempotent producer; got '"
                            + value + "'");
                }
            }
            case ProducerConfig.ACKS_CONFIG -> {
                if (!value.equals("all") && !value.equals("-1")) {
                    throw problem(name, "must be all: a record leaves the spool only once every in-sync replica"
                            + " has it; got '" + value + "'");
                }
            }
            case ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION -> {
                if (!isIntIn(value, 1, 5)) {
                    throw problem(name, "must be 1 to 5: more could reorder a domain's records; got '" + value + "'");
                }
            }
            case ProducerConfig.RETRIES_CONFIG -> {
                if (!isIntIn(value, 1, Integer.MAX_VALUE)) {
                    throw problem(name, "must be at least 1 for the idempotent producer; got '" + value + "'");
                }
            }
            default -> {
                // Kafka's definition checks the rest.
            }
        }
    }

    private static void requireDeliveryTimeout(Map<String, Object> p) {
        long delivery = Long.parseLong(String.valueOf(p.get(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG)).strip());
        long linger = Long.parseLong(String.valueOf(p.get(ProducerConfig.LINGER_MS_CONFIG)).strip());
        Object request = p.getOrDefault(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "30000");
        long requestMs = Long.parseLong(String.valueOf(request).strip());
        if (delivery < linger + requestMs) {
            throw problem(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "must be at least linger.ms + request.timeout.ms ("
                    + (linger + requestMs) + "); got " + delivery);
        }
    }

    private static boolean isIntIn(String value, int min, int max) {
        try {
            int n = Integer.parseInt(value);
            return n >= min && n <= max;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static Map<String, String> asStrings(Map<String, Object> p) {
        Map<String, String> m = new HashMap<>();
        p.forEach((k, v) -> m.put(k, String.valueOf(v)));
        return m;
    }

    private static IllegalStateException problem(String name, String why) {
        return new IllegalStateException("kafka.properties." + name + ": " + why);
    }
}
