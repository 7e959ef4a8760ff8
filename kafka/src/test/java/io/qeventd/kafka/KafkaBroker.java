package io.qeventd.kafka;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;

/**
 * A real Apache Kafka broker for tests: one KRaft node (broker and controller) in a JVM of its own, started
 * from this test's class path ({@code kafka.Kafka}), on loopback ports chosen at start and a data directory of
 * its own. It can be killed (SIGKILL) and started again on the same ports and data. {@link #close()} kills the
 * process it started and removes the directory.
 */
final class KafkaBroker implements AutoCloseable {
    private static final Duration READY = Duration.ofSeconds(90);
    private static final int TAIL_LINES = 40;

    private final Path dir;
    private final int port;
    private final int controllerPort;
    private final Path properties;
    private final Path output;
    private Process process;

    private KafkaBroker(Path dir, int port, int controllerPort) {
        this.dir = dir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.properties = dir.resolve("server.properties");
        this.output = dir.resolve("broker.log");
    }

    /** Formats a new data directory and starts the broker; returns once it answers. */
    static KafkaBroker start() throws IOException {
        Path dir = Files.createTempDirectory("qeventd-kafka-broker-");
        KafkaBroker b = new KafkaBroker(dir, freePort(), freePort());
        try {
            b.writeConfig();
            b.format();
            b.restart();
            return b;
        } catch (IOException | RuntimeException | Error e) {
            b.close();
            throw e;
        }
    }

    /** {@code 127.0.0.1:PORT}. */
    String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** Kills the broker with SIGKILL, as a crash would, and waits until it is gone. */
    void kill() {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroyForcibly();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                throw new IllegalStateException("broker " + process.pid() + " survived SIGKILL for 20 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for broker " + process.pid() + " to die", e);
        }
    }

    /** Starts the broker on its ports and data (after {@link #kill()}); returns once it answers. */
    void restart() throws IOException {
        if (isAlive()) {
            throw new IllegalStateException("the broker still runs (pid " + process.pid() + ")");
        }
        process = java("kafka.Kafka", properties.toString()).start();
        awaitReady();
    }

    /** Creates {@code topic} with {@code partitions} partitions. */
    void createTopic(String topic, int partitions) {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create topic " + topic + ": " + e + "\n" + tail(), e);
        }
    }

    /** The last lines the broker wrote, for failure messages. */
    String tail() {
        return "broker output (" + output + "):\n" + tail(output, TAIL_LINES);
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            kill();
        }
        deleteRecursively(dir);
    }

    private void writeConfig() throws IOException {
        String text = String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + dir.resolve("data"),
                "num.partitions=3",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "num.network.threads=2",
                "num.io.threads=2",
                "background.threads=2",
                "log.cleaner.enable=false",
                "") + "\n";
        Files.writeString(properties, text);
        Files.writeString(dir.resolve("logback.xml"), """
                <configuration>
                  <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{24} - %msg%n</pattern></encoder>
                  </appender>
                  <root level="WARN"><appender-ref ref="OUT"/></root>
                </configuration>
                """);
    }

    private void format() throws IOException {
        String clusterId = Uuid.randomUuid().toString();
        Process p = java("kafka.tools.StorageTool", "format", "-t", clusterId, "-c", properties.toString()).start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("formatting the broker's storage took over 60 s\n" + tail());
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException("formatting the broker's storage failed (" + p.exitValue() + ")\n"
                    + tail());
        }
    }

    private ProcessBuilder java(String mainClass, String... args) {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms128m", "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Djava.awt.headless=true",
                "-Dlogback.configurationFile=" + dir.resolve("logback.xml"),
                "-cp", System.getProperty("java.class.path"),
                mainClass));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()));
        pb.environment().keySet().removeIf(k -> k.startsWith("KAFKA_"));
        return pb;
    }

    private void awaitReady() {
        long end = System.nanoTime() + READY.toNanos();
        Exception last = null;
        try (Admin admin = admin()) {
            while (System.nanoTime() - end < 0) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the broker exited (" + process.exitValue() + ") before it"
                            + " answered\n" + tail());
                }
                try {
                    if (!admin.describeCluster().nodes().get(2, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    last = e;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
        throw new IllegalStateException("the broker did not answer within " + READY.toSeconds() + " s: " + last
                + "\n" + tail());
    }

    private Admin admin() {
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2000,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200));
    }

    /** A loopback port nothing listens on now. */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** The last {@code lines} lines of {@code file}, or why there are none. */
    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    static void deleteRecursively(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort: a temp directory
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }
}
