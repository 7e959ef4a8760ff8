package io.qeventd.runtime.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;

/** The line that says how many log lines the non-blocking appender had to drop. */
final class DroppedLines {
    private DroppedLines() {
    }

    static ILoggingEvent event(LoggerContext context, ILoggingEvent next, long now, long total) {
        LoggingEvent e = new LoggingEvent();
        e.setLoggerName(NonBlockingAppender.class.getName());
        e.setLevel(Level.WARN);
        e.setThreadName(next.getThreadName());
        e.setTimeStamp(next.getTimeStamp());
        e.setLoggerContext(context);
        e.setMessage(now + " log line(s) dropped: the log could not keep up (" + total + " since start)");
        return e;
    }
}
