package io.qeventd.runtime.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DurationSyntaxTest {

    @ParameterizedTest(name = "commandTimeout: {0} is {1}")
    @CsvSource(delimiter = '|', value = {
            "30s          | PT30S",
            "500ms        | PT0.5S",
            "2m           | PT2M",
            "1h           | PT1H",
            "45           | PT45S",
            "'\"45\"'     | PT45S",
            "10 s         | PT10S",
            "PT30S        | PT30S",
            "pt1m30s      | PT1M30S",
            "P1DT2H       | PT26H",
    })
    void everyDocumentedFormIsAccepted(String written, String expected) throws Exception {
        QeventdConfig config = ConfigLoader.parse("commandTimeout: " + written + "\n", "qeventd.yaml",
                Path.of("/etc/qeventd"));

        assertThat(config.commandTimeout()).isEqualTo(Duration.parse(expected));
    }

    @ParameterizedTest(name = "commandTimeout: {0} is refused")
    @CsvSource(delimiter = '|', value = {
            "30sec     | expected a duration (e.g. 30s, 500ms, 2m, 1h, PT30S, or a number of seconds), got '30sec'",
            "-5        | expected a duration (e.g. 30s, 500ms, 2m, 1h, PT30S, or a number of seconds), got '-5'",
            "1.5s      | expected a duration (e.g. 30s, 500ms, 2m, 1h, PT30S, or a number of seconds), got '1.5s'",
            "0         | expected a duration greater than zero, got '0'",
            "PT-5S     | expected a duration greater than zero, got 'PT-5S'",
            "true      | expected a duration (e.g. 30s, 500ms, 2m, 1h, PT30S, or a number of seconds), got a boolean",
            "99999999999999999999h | '99999999999999999999h' is too long a duration",
    })
    void anythingElseIsRefusedWithTheAcceptedForms(String written, String message) {
        ConfigException e = ConfigFixtures.refusedText("commandTimeout: " + written + "\n");

        assertThat(e.errors()).singleElement().satisfies(error -> {
            assertThat(error.key()).isEqualTo("commandTimeout");
            assertThat(error.message()).isEqualTo(message);
        });
    }
}
