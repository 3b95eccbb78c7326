package io.meshpilot.agent.directives;

import io.meshpilot.kafka.RecordSender;
import io.meshpilot.schemas.DirectiveStatus;
import io.meshpilot.schemas.ServiceDirective;
import io.meshpilot.schemas.ServiceKey;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes what the agent did with each directive to {@code P.<region>.status}, and the latest status of every
 * Service again when Kafka answers after an outage. Confined to the agent's event loop.
 */
final class StatusReporter {

    private static final Logger LOG = LoggerFactory.getLogger(StatusReporter.class);

    private final RecordSender sender;
    private final String topic;
    private final String region;
    private final String agentId;
    private final Clock clock;
    private final Map<ServiceKey, DirectiveStatus> latest = new LinkedHashMap<>();

    StatusReporter(RecordSender sender, String topic, String region, String agentId, Clock clock) {
        this.sender = sender;
        this.topic = topic;
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

    void resendLatest() {
        List.copyOf(latest.values()).forEach(this::send);
    }

    private void send(DirectiveStatus status) {
        sender.send(topic, status.key().toString(), status).whenComplete((metadata, failure) -> {
            if (failure != null) {
                LOG.atWarn().addKeyValue("service", status.key()).addKeyValue("error", failure.toString())
                        .log("cannot publish directive status; sent again when Kafka answers");
            }
        });
    }
}
