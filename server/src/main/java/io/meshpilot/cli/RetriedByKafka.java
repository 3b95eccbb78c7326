package io.meshpilot.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;

/**
 * Drops the Kafka producer's WARN lines about an error it retries by itself and that means nothing is wrong:
 * {@code CONCURRENT_TRANSACTIONS}, the broker still completing the previous transaction of the same transactional
 * id (every control-plane commit can meet one). The producer's other warnings pass.
 */
final class RetriedByKafka extends TurboFilter {

    private static final String PRODUCER = "org.apache.kafka.clients.producer.internals.";
    private static final String RETRIED = "CONCURRENT_TRANSACTIONS";

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params,
            Throwable t) {
        if (level != Level.WARN || !logger.getName().startsWith(PRODUCER) || format == null) {
            return FilterReply.NEUTRAL;
        }
        if (format.contains(RETRIED)) {
            return FilterReply.DENY;
        }
        if (params != null) {
            for (Object param : params) {
                if (param != null && RETRIED.equals(param.toString())) {
                    return FilterReply.DENY;
                }
            }
        }
        return FilterReply.NEUTRAL;
    }
}
