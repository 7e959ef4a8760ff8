package io.qeventd.runtime.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class ProcessRunnerTest {
    @Test
    void returnsExitCodeStdoutAndStderr() throws Exception {
        ProcessRunner.Result result = ProcessRunner.run(
                List.of("sh", "-c", "echo out; echo err >&2; exit 4"), Duration.ofSeconds(10));

        assertThat(result.exitCode()).isEqualTo(4);
        assertThat(result.succeeded()).isFalse();
        assertThat(result.stdout()).isEqualTo("out\n");
        assertThat(result.stderr()).isEqualTo("err\n");
        assertThat(result.commandLine()).isEqualTo("sh -c echo out; echo err >&2; exit 4");
    }

    @Test
    void commandOverItsTimeLimitIsKilledAndReported() {
        Instant start = Instant.now();

        assertThatThrownBy(() -> ProcessRunner.run(List.of("sleep", "30"), Duration.ofMillis(200)))
                .isInstanceOf(TimeoutException.class)
                .hasMessageContaining("'sleep 30' did not finish within PT0.2S");
        assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void missingProgramIsAnIoException() {
        assertThatThrownBy(() -> ProcessRunner.run(List.of("/nonexistent/program"), Duration.ofSeconds(5)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("/nonexistent/program");
    }

    @Test
    void commandGetsNoInput() throws Exception {
        ProcessRunner.Result result = ProcessRunner.run(List.of("cat"), Duration.ofSeconds(5));

        assertThat(result.succeeded()).isTrue();
        assertThat(result.stdout()).isEmpty();
    }
}
