package io.qeventd.runtime.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.qeventd.testkit.vm.Eventually;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LiveConsoleTest {
    private static final String ESC = "\u001b[";

    @Test
    void linesScrollAboveABlockThatIsRedrawnInPlaceAndRemovedAtTheEnd() {
        StringWriter text = new StringWriter();
        AtomicInteger frames = new AtomicInteger();
        LiveConsole console = new LiveConsole(new PrintWriter(text), () -> List.of("status " + frames.incrementAndGet(),
                "x".repeat(100)), Duration.ofMillis(10), 40);
        console.line("first");
        console.start();
        Eventually.await("three frames", Duration.ofSeconds(5), () -> frames.get() >= 3);
        console.line("second");
        Eventually.await("second line shown", Duration.ofSeconds(5), () -> output(text).contains("second"));
        console.close();

        String out = output(text);
        assertThat(out).startsWith("first\nstatus 1\n" + "x".repeat(39) + "\n" + ESC + "2F" + ESC + "J");
        assertThat(out).contains(ESC + "2F" + ESC + "Jsecond\nstatus ");
        // The block never wraps (each line is cut to the width) and is gone once the console closes.
        assertThat(out).doesNotContain("x".repeat(40));
        assertThat(out).endsWith(ESC + "2F" + ESC + "J");
    }

    private static String output(StringWriter w) {
        synchronized (w.getBuffer()) {
            return w.toString();
        }
    }
}
