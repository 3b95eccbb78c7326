package io.meshpilot.agent.directives;

import io.meshpilot.schemas.ServiceDirective;
import io.meshpilot.schemas.ServiceKey;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The newest directive of one Service, as the applier keeps it for every Service it watches: what the directive
 * says and where it was read, without what the agent knows already (its region, the Service's key) and with its two
 * times as numbers (a {@link Received}, its {@link ServiceDirective} and their two {@link Instant}s took some 140 B
 * per Service, this some 80 B). {@link #received} gives the directive back exactly.
 */
final class Desired {

    /** A time's nanoseconds when the directive had no such time. */
    private static final int NO_TIME = -1;

    private final long version;
    private final Map<String, String> annotations;
    private final String reason;
    private final String state;
    private final List<String> dependsOn;
    private final long decidedSecond;
    private final int decidedNano;
    private final long sinceSecond;
    private final int sinceNano;
    private final String topic;
    private final int partition;
    private final long offset;

    private Desired(Received received) {
        ServiceDirective directive = received.directive();
        this.version = directive.version();
        this.annotations = directive.annotations();
        this.reason = directive.reason();
        this.state = directive.state();
        this.dependsOn = directive.dependsOn();
        this.decidedSecond = second(directive.decidedAt());
        this.decidedNano = nano(directive.decidedAt());
        this.sinceSecond = second(directive.since());
        this.sinceNano = nano(directive.since());
        this.topic = received.topic();
        this.partition = received.partition();
        this.offset = received.offset();
    }

    static Desired of(Received received) {
        return new Desired(received);
    }

    long version() {
        return version;
    }

    /** The directive as it was read, for the agent of {@code region} and the Service {@code key}. */
    Received received(String region, ServiceKey key) {
        return new Received(directive(region, key), topic, partition, offset);
    }

    ServiceDirective directive(String region, ServiceKey key) {
        return new ServiceDirective(region, key.namespace(), key.name(), version, annotations, reason,
                time(decidedSecond, decidedNano), state, time(sinceSecond, sinceNano), dependsOn);
    }

    private static long second(Instant time) {
        return time == null ? 0 : time.getEpochSecond();
    }

    private static int nano(Instant time) {
        return time == null ? NO_TIME : time.getNano();
    }

    private static Instant time(long second, int nano) {
        return nano == NO_TIME ? null : Instant.ofEpochSecond(second, nano);
    }
}
