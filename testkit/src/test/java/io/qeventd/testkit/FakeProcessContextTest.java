package io.qeventd.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qeventd.api.QmpErrorException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class FakeProcessContextTest {
    @RegisterExtension
    final LogCapture logs = new LogCapture();

    @Test
    void aProcessorRunsAgainstTheFakeMonitorWhichKeepsWhatItWasSent() throws Exception {
        FakeMonitor monitor = new FakeMonitor().answer("query-status", Map.of("status", "io-error", "running", false,
                "singlestep", false));
        FakeProcessContext ctx = FakeProcessContext.builder("vm1").monitor(monitor).build();

        RunStateReport.report(ctx);

        assertThat(ctx.reports()).containsExactly("status io-error");
        assertThat(monitor.sent()).extracting(FakeMonitor.SentCommand::command).containsExactly("query-status");
        assertThat(logs.await(l -> l.message().equals("vm1 is io-error"), Duration.ofSeconds(5)).level())
                .isEqualTo("INFO");
    }

    @Test
    void aCommandWithoutAnAnswerFailsAsQemuFailsACommandItDoesNotKnow() {
        FakeProcessContext ctx = FakeProcessContext.builder("vm1").build();

        assertThatThrownBy(() -> RunStateReport.report(ctx)).isInstanceOf(QmpErrorException.class)
                .satisfies(e -> assertThat(((QmpErrorException) e).errorClass()).isEqualTo("CommandNotFound"));
        assertThat(ctx.reports()).isEmpty();
    }

    @Test
    void recordsComeBackAsTheTypeTheProcessorAsksFor() {
        record Status(String status, boolean running) {
        }
        FakeMonitor monitor = new FakeMonitor().answer("query-status", Map.of("status", "paused", "running", false,
                "singlestep", false));

        Status s = monitor.execute("query-status", null, Status.class);

        assertThat(s).isEqualTo(new Status("paused", false));
    }
}
