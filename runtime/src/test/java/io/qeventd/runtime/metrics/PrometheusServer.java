package io.qeventd.runtime.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qeventd.runtime.testing.Eventually;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus server (Debian's {@code prometheus}) scraping one target every second, on a loopback port
 * of its own, with its configuration and storage in a directory of the test's. {@link #close()} kills it by its
 * process id and waits until it is gone: use it in try-with-resources so that it never outlives the test.
 */
final class PrometheusServer implements AutoCloseable {
    static final String BINARY = "/usr/bin/prometheus";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration REQUEST = Duration.ofSeconds(5);

    private final Process process;
    private final Path dir;
    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(REQUEST).build();

    private PrometheusServer(Process process, Path dir, URI base) {
        this.process = process;
        this.dir = dir;
        this.base = base;
    }

    /** Starts Prometheus scraping {@code target}'s {@code /metrics} every second and waits until it is ready. */
    static PrometheusServer start(Path dir, InetSocketAddress target) throws IOException {
        Files.createDirectories(dir);
        Path config = Files.writeString(dir.resolve("prometheus.yml"), """
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                  evaluation_interval: 1s
                scrape_configs:
                  - job_name: qeventd
                    static_configs:
                      - targets: ['%s:%d']
                """.formatted(target.getHostString(), target.getPort()));
        int port = freePort();
        Path log = dir.resolve("prometheus.log");
        Process p = new ProcessBuilder(BINARY,
                "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn")
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        PrometheusServer server = new PrometheusServer(p, dir, URI.create("http://127.0.0.1:" + port));
        try {
            server.awaitReady(target);
        } catch (RuntimeException | Error e) {
            server.close();
            throw e;
        }
        return server;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Ready, and its one target scraped once at least. */
    private void awaitReady(InetSocketAddress target) {
        Eventually.await("Prometheus answers and has scraped " + target + " (log: " + logTail() + ")", START, () -> {
            if (!process.isAlive()) {
                throw new AssertionError("Prometheus exited with " + process.exitValue() + ": " + logTail());
            }
            Optional<String> ready = get("/-/ready");
            if (ready.isEmpty()) {
                return false;
            }
            JsonNode targets = getJson("/api/v1/targets");
            JsonNode active = targets.path("data").path("activeTargets");
            return active.size() == 1 && "up".equals(active.get(0).path("health").asText());
        });
    }

    /** The instant vector of {@code promql} now: each result's metric labels and value. */
    JsonNode query(String promql) {
        JsonNode r = getJson("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        if (!"success".equals(r.path("status").asText())) {
            throw new AssertionError("query " + promql + " failed: " + r);
        }
        return r.path("data").path("result");
    }

    /** The value of {@code promql}, which must yield one series at most; empty when it yields none. */
    Optional<Double> value(String promql) {
        JsonNode result = query(promql);
        if (result.size() > 1) {
            throw new AssertionError(promql + " yields " + result.size() + " series: " + result);
        }
        return result.isEmpty() ? Optional.empty() : Optional.of(result.get(0).path("value").get(1).asDouble());
    }

    /** Waits until {@code promql} yields one series of value {@code expected} (scrapes come every second). */
    void awaitValue(String promql, double expected, Duration deadline) {
        Eventually.await(promql + " = " + expected, deadline, () -> value(promql),
                v -> v.isPresent() && v.get() == expected);
    }

    /** Waits until {@code promql} yields no series. */
    void awaitNone(String promql, Duration deadline) {
        Eventually.await(promql + " yields nothing", deadline, () -> query(promql), JsonNode::isEmpty);
    }

    private JsonNode getJson(String path) {
        String body = get(path).orElseThrow(() -> new AssertionError("Prometheus did not answer " + path));
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The body of a 200 answer; empty when Prometheus does not answer (yet) or answers otherwise. */
    private Optional<String> get(String path) {
        HttpRequest req = HttpRequest.newBuilder(base.resolve(path)).timeout(REQUEST).GET().build();
        try {
            HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? Optional.of(r.body()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(dir.resolve("prometheus.log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    long pid() {
        return process.pid();
    }

    /** Kills Prometheus by its process id and waits until it is gone; its directory is the test's to remove. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("Prometheus " + process.pid() + " survived SIGKILL for 10 s");
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
