package io.meshpilot.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Configures logging for a command: meshpilot's own loggers at the chosen level, libraries (Kafka, fabric8, Vert.x)
 * at WARN so they stay quiet, to stderr as {@code key=value} text or one flat JSON object per line.
 */
final class Logging {

    /** The names {@code --log-level} takes, as the charts' values schemas allow them ({@code log.level}). */
    static final List<String> LEVELS = List.of("error", "warn", "info", "debug", "trace");

    // The sandbox's embedded broker warns when two clients first look up a group coordinator at once and both ask
    // it to create __consumer_offsets (one wins; nothing is wrong): the control plane's replica-id check and its
    // consumers do so at start.
    private static final Map<String, Level> LIBRARIES = Map.of(
            "kafka", Level.WARN, "org.apache.kafka", Level.WARN, "state.change.logger", Level.WARN,
            "org.apache.kafka.controller", Level.ERROR, "org.apache.kafka.clients.NetworkClient", Level.ERROR,
            "org.apache.kafka.server.DefaultAutoTopicCreationManager", Level.ERROR,
            "io.fabric8", Level.WARN, "io.vertx", Level.WARN, "io.netty", Level.WARN);
    private static final Logger LOG = LoggerFactory.getLogger("io.meshpilot.cli");

    private static volatile boolean json;

    private Logging() {
    }

    static void configure(String level, String format) {
        Level meshpilot = level(level);
        Encoder<ILoggingEvent> encoder;
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        encoder = encoder(context, format);
        context.reset();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("stderr");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(stderr);
        for (TurboFilter expected : List.of(new RetriedByKafka(), new ReportedByTheAgent())) {
            expected.setContext(context);
            expected.start();
            context.addTurboFilter(expected);
        }
        context.getLogger("io.meshpilot").setLevel(meshpilot);
        boolean verbose = !meshpilot.isGreaterOrEqual(Level.INFO);
        LIBRARIES.forEach((name, libraryLevel) -> context.getLogger(name).setLevel(verbose ? Level.INFO
                : libraryLevel));
        java.util.logging.LogManager.getLogManager().reset();
    }

    /** Ends a command that failed: one line, a JSON log line under {@code --log-format json}; the trace at debug. */
    static void failure(PrintWriter err, String command, String message, Throwable cause) {
        if (json) {
            LOG.atError().addKeyValue("command", command).log(command + ": " + message);
        } else {
            err.println(command + ": " + message);
            err.flush();
        }
        LOG.atDebug().setCause(cause).log("{} failed", command);
    }

    static Level level(String level) {
        return switch (level.toLowerCase(Locale.ROOT)) {
            case "error" -> Level.ERROR;
            case "warn" -> Level.WARN;
            case "info" -> Level.INFO;
            case "debug" -> Level.DEBUG;
            case "trace" -> Level.TRACE;
            default -> throw new IllegalArgumentException("--log-level must be one of " + String.join(", ", LEVELS)
                    + ", got '" + level + "'");
        };
    }

    private static Encoder<ILoggingEvent> encoder(LoggerContext context, String format) {
        switch (format.toLowerCase(Locale.ROOT)) {
            case "json" -> {
                FlatJsonEncoder encoder = new FlatJsonEncoder();
                encoder.setContext(context);
                encoder.start();
                json = true;
                return encoder;
            }
            case "text" -> {
                PatternLayoutEncoder text = new PatternLayoutEncoder();
                text.setContext(context);
                text.setPattern("%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level %logger{0} %msg %kvp%n");
                text.start();
                json = false;
                return text;
            }
            default -> throw new IllegalArgumentException("--log-format must be text or json, got '" + format + "'");
        }
    }
}
