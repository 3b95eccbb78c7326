package io.meshpilot.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import java.util.Locale;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Configures logging for a command: meshpilot's own loggers at the chosen level, libraries (Kafka, fabric8, Vert.x)
 * at WARN so they stay quiet, to stderr as {@code key=value} text or one JSON object per line.
 */
final class Logging {

    private static final Map<String, Level> LIBRARIES = Map.of(
            "kafka", Level.WARN, "org.apache.kafka", Level.WARN, "state.change.logger", Level.WARN,
            "org.apache.kafka.controller", Level.ERROR, "org.apache.kafka.clients.NetworkClient", Level.ERROR,
            "io.fabric8", Level.WARN, "io.vertx", Level.WARN, "io.netty", Level.WARN);

    private Logging() {
    }

    static void configure(String level, String format) {
        Level meshpilot = level(level);
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("stderr");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder(context, format));
        stderr.start();
        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(stderr);
        context.getLogger("io.meshpilot").setLevel(meshpilot);
        LIBRARIES.forEach((name, libraryLevel) -> context.getLogger(name).setLevel(
                meshpilot == Level.DEBUG ? Level.INFO : libraryLevel));
        java.util.logging.LogManager.getLogManager().reset();
    }

    private static Level level(String level) {
        return switch (level.toLowerCase(Locale.ROOT)) {
            case "error" -> Level.ERROR;
            case "warn" -> Level.WARN;
            case "info" -> Level.INFO;
            case "debug" -> Level.DEBUG;
            default -> throw new IllegalArgumentException("--log-level must be error, warn, info or debug, got '"
                    + level + "'");
        };
    }

    private static Encoder<ILoggingEvent> encoder(LoggerContext context, String format) {
        switch (format.toLowerCase(Locale.ROOT)) {
            case "json" -> {
                JsonEncoder json = new JsonEncoder();
                json.setContext(context);
                json.start();
                return json;
            }
            case "text" -> {
                PatternLayoutEncoder text = new PatternLayoutEncoder();
                text.setContext(context);
                text.setPattern("%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level %logger{0} %msg %kvp%n");
                text.start();
                return text;
            }
            default -> throw new IllegalArgumentException("--log-format must be text or json, got '" + format + "'");
        }
    }
}
