package io.meshpilot.agent.directives;

import io.meshpilot.schemas.ServiceKey;
import java.time.Instant;

/**
 * An Event to record on a Service, as the recorder hands it to the API server: {@code count} identical occurrences
 * between {@code first} and {@code last}; {@code existing} names the Event already written for the earlier ones, which
 * is then updated instead of a new one created (client-go's EventCorrelator does the same).
 */
record ServiceEvent(Identity identity, String uid, int count, Instant first, Instant last, String existing) {

    /** What makes two Events identical: the Service, type, reason and message. */
    record Identity(ServiceKey service, String type, String reason, String message) {
    }

    ServiceEvent again(Instant at) {
        return new ServiceEvent(identity, uid, count + 1, first, at, existing);
    }
}
