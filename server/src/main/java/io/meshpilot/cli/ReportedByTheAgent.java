package io.meshpilot.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;

/**
 * Drops fabric8's ERROR line, with its stack trace, about an informer whose first listing failed ("listSyncAndWatch
 * failed for v1/services, will stop"): fabric8 stops an informer that way only before it has started, and the agent
 * reports exactly that as one warning naming the error ("cannot list Services and EndpointSlices; listing again") and
 * lists again. A failure after the start is retried by fabric8 and logged as it is.
 */
final class ReportedByTheAgent extends TurboFilter {

    private static final String REFLECTOR = "io.fabric8.kubernetes.client.informers.impl.cache.Reflector";
    private static final String STOPPED = "{} failed for {}, will stop";

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params,
            Throwable t) {
        boolean firstListing = level == Level.ERROR && REFLECTOR.equals(logger.getName()) && STOPPED.equals(format)
                && params != null && params.length > 0 && "listSyncAndWatch".equals(String.valueOf(params[0]));
        return firstListing ? FilterReply.DENY : FilterReply.NEUTRAL;
    }
}
