package io.qeventd.runtime.demo;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.function.Consumer;
import org.slf4j.LoggerFactory;

/**
 * Shows what plugins log (logger {@code qeventd.plugin.<id>}, level info and up) among the demo's lines
 * instead of on stderr, where it would tear through the live view. Undone on close.
 */
final class PluginLogCapture implements AutoCloseable {
    static final String PLUGIN_LOGGERS = "qeventd.plugin";

    private final Logger logger;
    private final Level oldLevel;
    private final boolean oldAdditive;
    private final AppenderBase<ILoggingEvent> appender;

    private PluginLogCapture(Logger logger, AppenderBase<ILoggingEvent> appender) {
        this.logger = logger;
        this.oldLevel = logger.getLevel();
        this.oldAdditive = logger.isAdditive();
        this.appender = appender;
        logger.setLevel(Level.INFO);
        logger.setAdditive(false);
        logger.addAppender(appender);
        appender.start();
    }

    /** Starts capturing; a no-op when SLF4J is not bound to logback. */
    static AutoCloseable start(Consumer<String> lines) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return () -> { };
        }
        AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent e) {
                String plugin = e.getLoggerName().substring(Math.min(e.getLoggerName().length(),
                        PLUGIN_LOGGERS.length() + 1));
                lines.accept(DemoLines.pluginLog(e.getMDCPropertyMap().get("domain"), plugin, e.getFormattedMessage()));
            }
        };
        appender.setContext(context);
        appender.setName("qeventd-demo");
        return new PluginLogCapture(context.getLogger(PLUGIN_LOGGERS), appender);
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        appender.stop();
        logger.setAdditive(oldAdditive);
        logger.setLevel(oldLevel);
    }
}
