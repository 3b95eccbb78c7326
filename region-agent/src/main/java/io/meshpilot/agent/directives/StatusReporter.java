package io.meshpilot.agent.directives;

import io.meshpilot.schemas.DirectiveStatus;
import io.meshpilot.schemas.ServiceDirective;
import io.meshpilot.schemas.ServiceKey;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes what the agent did with each directive to {@code P.<region>.status}, and the latest status of every
 * Service again when Kafka answers after an outage. Confined to the agent's event loop.
 */
final class StatusReporter {

    private static final Logger LOG = LoggerFactory.getLogger(StatusReporter.class);

    private final Function<DirectiveStatus, CompletionStage<?>> publish;
    private final String region;
    private final String agentId;
    private final Clock clock;
    private final Map<ServiceKey, DirectiveStatus> latest = new LinkedHashMap<>();

    /** {@code publish} sends one status to the region's status topic, keyed by its Service. */
    StatusReporter(Function<DirectiveStatus, CompletionStage<?>> publish, String region, String agentId, Clock clock) {
        this.publish = publish;
        this.region = region;
        this.agentId = agentId;
        this.clock = clock;
    }

    void report(ServiceDirective directive, DirectiveStatus.Result result, String message) {
        DirectiveStatus status = new DirectiveStatus(region, directive.namespace(), directive.service(),
                directive.version(), result, message, clock.instant(), agentId);
        latest.put(directive.key(), status);
        send(status);
    }

    /** The last status reported for the Service. */
    Optional<DirectiveStatus> latest(ServiceKey service) {
        return Optional.ofNullable(latest.get(service));
    }

    /** Whether the directive's version was last reported as applied. */
    boolean reportedApplied(ServiceDirective directive) {
        DirectiveStatus last = latest.get(directive.key());
        return last != null && last.version() == directive.version()
                && last.result() == DirectiveStatus.Result.APPLIED;
    }

    void resendLatest() {
        List.copyOf(latest.values()).forEach(this::send);
    }

    private void send(DirectiveStatus status) {
        publish.apply(status).whenComplete((metadata, failure) -> {
            if (failure != null) {
                LOG.atWarn().addKeyValue("service", status.key()).addKeyValue("error", failure.toString())
                        .log("cannot publish directive status; sent again when Kafka answers");
            }
        });
    }
}
