package io.qeventd.runtime.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.encoder.Encoder;
import io.qeventd.runtime.config.LogConfig;
import io.qeventd.runtime.log.NonBlockingAppender;
import java.util.Optional;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Sets logback's level and line format at run time. Logs always go to stderr: stdout belongs to command
 * output (the JSON of {@code qeventd qmp} and {@code qeventd status --json}, the demo's view).
 */
final class Logging {
    /** The appender logback.xml defines (a {@link NonBlockingAppender}); replaced here when the format changes. */
    static final String APPENDER = "STDERR";
    /** The console appender inside it. */
    static final String CONSOLE = "CONSOLE";
    /** Lines the non-blocking appender queues at most, as in logback.xml. */
    static final int QUEUE = 8192;
    /** The same pattern as logback.xml: time, level, thread, logger, message. */
    static final String TEXT_PATTERN = "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{24} - %msg%n";

    private static LogConfig.Format current = LogConfig.Format.TEXT;

    private Logging() {
    }

    static void setLevel(LogConfig.Level level) {
        root().ifPresent(r -> r.setLevel(Level.toLevel(level.name(), Level.INFO)));
    }

    /**
     * Lines as text ({@code HH:mm:ss.SSS LEVEL [thread] logger - message}) or as one JSON object per line
     * (logback's own {@link JsonEncoder}: timestamp, level, threadName, loggerName, mdc, formattedMessage
     * and the throwable, if any).
     */
    static synchronized void setFormat(LogConfig.Format format) {
        if (format == current) {
            return;
        }
        current = format;
        root().ifPresent(r -> {
            LoggerContext context = r.getLoggerContext();
            ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
            console.setContext(context);
            console.setName(CONSOLE);
            console.setTarget("System.err");
            console.setEncoder(format == LogConfig.Format.JSON ? jsonEncoder(context) : textEncoder(context));
            console.start();
            // Logback's async appender takes one appender for life: a new format means a new pair.
            NonBlockingAppender appender = new NonBlockingAppender();
            appender.setContext(context);
            appender.setName(APPENDER);
            appender.setQueueSize(QUEUE);
            appender.addAppender(console);
            appender.start();
            Appender<ILoggingEvent> old = r.getAppender(APPENDER);
            r.addAppender(appender);
            if (old != null) {
                r.detachAppender(old);
                old.stop();
            }
        });
    }

    /**
     * Sets one logger's level until the returned handle is closed; a no-op without logback.
     *
     * @param name a logger name, e.g. a package
     */
    static AutoCloseable setLevel(String name, LogConfig.Level level) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return () -> { };
        }
        Logger logger = context.getLogger(name);
        Level old = logger.getLevel();
        logger.setLevel(Level.toLevel(level.name()));
        return () -> logger.setLevel(old);
    }

    /** Undoes {@link #setLevel(String, LogConfig.Level)}. */
    static void restore(AutoCloseable levelChange) {
        try {
            levelChange.close();
        } catch (Exception e) {
            throw new IllegalStateException("cannot restore a log level", e);
        }
    }

    /** Level and format together; either may be null to leave it as it is. */
    static void configure(LogConfig.Level level, LogConfig.Format format) {
        if (level != null) {
            setLevel(level);
        }
        if (format != null) {
            setFormat(format);
        }
    }

    private static Encoder<ILoggingEvent> jsonEncoder(LoggerContext context) {
        JsonEncoder json = new JsonEncoder();
        json.setContext(context);
        // The formatted message is what a reader wants; the template and its arguments only repeat it.
        json.setWithMessage(false);
        json.setWithArguments(false);
        json.setWithContext(false);
        json.setWithSequenceNumber(false);
        json.setWithNanoseconds(false);
        json.setWithFormattedMessage(true);
        json.start();
        return json;
    }

    private static Encoder<ILoggingEvent> textEncoder(LoggerContext context) {
        PatternLayoutEncoder text = new PatternLayoutEncoder();
        text.setContext(context);
        text.setPattern(TEXT_PATTERN);
        text.start();
        return text;
    }

    /**
     * Logback's shutdown hook, taken out of the JVM's hooks so that the daemon's own hook can log to the end.
     * The JVM runs its hooks at once, in no order: logback's could stop the appenders while the daemon's hook
     * still had its last line to say ("stopped; journal: ..."). {@link #stopLogging()} at the end of the daemon's
     * hook does what logback's would have; {@link #giveBack()} puts logback's hook back when the daemon stopped
     * without the JVM exiting.
     */
    static final class LastToLog {
        private final LoggerContext context;
        private final Thread logbackHook;

        private LastToLog(LoggerContext context, Thread logbackHook) {
            this.context = context;
            this.logbackHook = logbackHook;
        }

        /** Writes what is queued and stops the appenders. */
        void stopLogging() {
            if (context != null) {
                context.stop();
            }
        }

        /** Logback's hook back among the JVM's; throws IllegalStateException when the JVM is exiting. */
        void giveBack() {
            if (logbackHook != null) {
                Runtime.getRuntime().addShutdownHook(logbackHook);
            }
        }
    }

    /** Takes logback's shutdown hook out of the JVM's (see {@link LastToLog}). */
    static LastToLog lastToLog() {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return new LastToLog(null, null);
        }
        Thread hook = context.getObject(CoreConstants.SHUTDOWN_HOOK_THREAD) instanceof Thread t ? t : null;
        try {
            if (hook != null && Runtime.getRuntime().removeShutdownHook(hook)) {
                return new LastToLog(context, hook);
            }
        } catch (IllegalStateException exiting) {
            // the JVM is exiting already: its hooks run as they are
        }
        return new LastToLog(context, null);
    }

    /** Empty when SLF4J is bound to something other than logback (an embedding application's choice). */
    private static Optional<Logger> root() {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (factory instanceof LoggerContext context) {
            return Optional.of(context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME));
        }
        return Optional.empty();
    }
}
