package io.qeventd.testkit;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * Captures what is logged during each test (the daemon's log and the plugin's {@code ctx.log()}), as a JUnit 5
 * extension: {@code @RegisterExtension final LogCapture logs = new LogCapture();} then
 * {@code logs.await(l -> l.message().contains("reloaded"), Duration.ofSeconds(10))}.
 */
public final class LogCapture implements BeforeEachCallback, AfterEachCallback {
    /** One logged line: level ({@code INFO}, {@code WARN}, …), logger name, and the formatted message. */
    public record Line(String level, String logger, String message) {
    }

    private final List<Line> lines = new ArrayList<>();
    private final Appender appender = new Appender();

    @Override
    public void beforeEach(ExtensionContext context) {
        synchronized (this) {
            lines.clear();
        }
        appender.setContext(root().getLoggerContext());
        appender.start();
        root().addAppender(appender);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        root().detachAppender(appender);
        appender.stop();
    }

    public synchronized List<Line> lines() {
        return List.copyOf(lines);
    }

    /** The lines whose message contains {@code text}. */
    public synchronized List<Line> containing(String text) {
        return lines.stream().filter(l -> l.message().contains(text)).toList();
    }

    /** Waits for a line that matches, and returns it. */
    public synchronized Line await(Predicate<Line> filter, Duration deadline) throws InterruptedException,
            TimeoutException {
        long end = System.nanoTime() + deadline.toNanos();
        while (true) {
            for (Line l : lines) {
                if (filter.test(l)) {
                    return l;
                }
            }
            long left = end - System.nanoTime();
            if (left <= 0) {
                throw new TimeoutException("no matching log line within " + deadline.toMillis() + " ms; logged: "
                        + lines);
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    private synchronized void add(Line line) {
        lines.add(line);
        notifyAll();
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    private final class Appender extends AppenderBase<ILoggingEvent> {
        @Override
        protected void append(ILoggingEvent e) {
            add(new Line(e.getLevel().toString(), e.getLoggerName(), e.getFormattedMessage()));
        }
    }
}
