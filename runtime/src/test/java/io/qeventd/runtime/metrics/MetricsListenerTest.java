package io.qeventd.runtime.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qeventd.runtime.daemon.Daemon;
import io.qeventd.runtime.daemon.DaemonStartException;
import io.qeventd.runtime.testing.DaemonFixture;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** metrics.listen: off by default, served where configured, a clear start error where the port is taken. */
class MetricsListenerTest {
    @TempDir
    Path dir;

    @Test
    void withoutMetricsListenTheDaemonBindsNoPort() throws Exception {
        Set<Integer> before = ListeningSockets.ofThisProcess();
        try (DaemonFixture fixture = DaemonFixture.in(dir)) {
            Daemon daemon = fixture.start();

            assertThat(daemon.metricsAddress()).isEmpty();
            assertThat(ListeningSockets.ofThisProcess()).isEqualTo(before);
        }
    }

    @Test
    void metricsAreServedAtTheConfiguredAddressUntilTheDaemonStops() throws Exception {
        Set<Integer> before = ListeningSockets.ofThisProcess();
        InetSocketAddress address;
        try (DaemonFixture fixture = DaemonFixture.in(dir).yaml("metrics:\n  listen: 127.0.0.1:0")) {
            Daemon daemon = fixture.start();
            address = daemon.metricsAddress().orElseThrow();

            Set<Integer> opened = new HashSet<>(ListeningSockets.ofThisProcess());
            opened.removeAll(before);
            assertThat(opened).containsExactly(address.getPort());
            assertThat(address.getHostString()).isEqualTo("127.0.0.1");
            Exposition e = Exposition.parse(MetricsPrometheusTest.scrape(address));
            assertThat(e.named("qeventd_journal_backlog_records")).singleElement();
            assertThat(e.named("qeventd_journal_capacity_records")).singleElement()
                    .satisfies(s -> assertThat(s.value()).isPositive());
            assertThat(e.samples()).anyMatch(s -> s.name().startsWith("jvm_"));

            daemon.stop(Duration.ofSeconds(5));

            assertThat(ListeningSockets.ofThisProcess()).doesNotContain(address.getPort());
            assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), address.getPort()).close())
                    .isInstanceOf(ConnectException.class);
        }
    }

    @Test
    void aTakenPortIsAStartErrorNamingTheAddressAndTheKey() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
             DaemonFixture fixture = DaemonFixture.in(dir).yaml("metrics:\n  listen: 127.0.0.1:" + taken.getLocalPort())) {
            assertThatThrownBy(fixture::start)
                    .isInstanceOf(DaemonStartException.class)
                    .hasMessageContaining("127.0.0.1:" + taken.getLocalPort())
                    .hasMessageContaining("metrics.listen")
                    .hasMessageContaining(fixture.dir.resolve("qeventd.yaml").toString());
        }
    }
}
