package io.qeventd.runtime.log;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogTextTest {
    @Test
    void controlCharactersCannotForgeALogLineOrDriveTheTerminal() {
        assertThat(LogText.safe("42\n04:00:00.000 ERROR [main] forged")).isEqualTo("42\\x0a04:00:00.000 ERROR [main] forged");
        assertThat(LogText.safe("\u001b[2J")).isEqualTo("\\x1b[2J");
        assertThat(LogText.safe(null)).isEqualTo("null");
    }

    @Test
    void longTextIsCutWithItsLength() {
        String s = LogText.safe("x".repeat(10_000));
        assertThat(s).startsWith("x".repeat(LogText.MAX_CHARS)).endsWith("…(10000 chars)");
    }
}
