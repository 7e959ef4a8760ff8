package io.qeventd.runtime.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.qeventd.testkit.vm.Eventually;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PlainConsoleTest {
    @Test
    void plainConsolePrintsLinesAndProgressWithoutEscapes() {
        StringWriter text = new StringWriter();
        AtomicInteger ticks = new AtomicInteger();
        PlainConsole console = new PlainConsole(new PrintWriter(text), () -> "progress " + ticks.incrementAndGet(),
                Duration.ofMillis(100));
        console.line("first");
        console.start();
        Eventually.await("two progress lines", Duration.ofSeconds(5), () -> ticks.get() >= 2);
        console.line("last");
        console.close();

        assertThat(output(text)).startsWith("first\nprogress 1\n").endsWith("last\n").doesNotContain("\u001b[");
    }

    private static String output(StringWriter w) {
        synchronized (w.getBuffer()) {
            return w.toString();
        }
    }
}
