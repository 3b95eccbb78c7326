package io.meshpilot.agent.directives;

import io.meshpilot.kafka.RecordSender;
import io.meshpilot.schemas.DirectiveStatus;
import io.meshpilot.schemas.ServiceDirective;
import io.meshpilot.schemas.Topics;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Publishes what the agent did with each directive to {@code P.<region>.status}. */
final class StatusReporter {

    private static final Logger LOG = LoggerFactory.getLogger(StatusReporter.class);

    private final RecordSender sender;
    private final String topic;
    private final String region;
    private final String agentId;
    private final Clock clock;

    StatusReporter(RecordSender sender, Topics topics, String region, String agentId, Clock clock) {
        this.sender = sender;
        this.topic = topics.status(region);
        this.region = region;
        this.agentId = agentId;
        this.clock = clock;
    }

    void report(ServiceDirective directive, DirectiveStatus.Result result, String message) {
        DirectiveStatus status = new DirectiveStatus(region, directive.namespace(), directive.service(),
                directive.version(), result, message, clock.instant(), agentId);
        sender.send(topic, directive.key().toString(), status).whenComplete((metadata, failure) -> {
            if (failure != null) {
                LOG.atWarn().addKeyValue("service", directive.key()).addKeyValue("error", failure.toString())
                        .log("cannot publish directive status");
            }
        });
    }
}
