package io.meshpilot.controlplane.decisions;

import io.meshpilot.kafka.RecordSender;
import io.meshpilot.schemas.Decision;
import io.meshpilot.schemas.ServiceDirective;
import io.meshpilot.schemas.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Publishes directives to each region's topic and the audit record of each decision to {@code P.decisions}. */
final class DirectivePublisher {

    private static final Logger LOG = LoggerFactory.getLogger(DirectivePublisher.class);

    private final RecordSender sender;
    private final Topics topics;

    DirectivePublisher(RecordSender sender, Topics topics) {
        this.sender = sender;
        this.topics = topics;
    }

    void publish(ServiceDirective directive) {
        sender.send(topics.directives(directive.region()), directive.key().toString(), directive)
                .whenComplete((metadata, failure) -> {
                    if (failure != null) {
                        LOG.atError().addKeyValue("service", directive.key()).addKeyValue("region", directive.region())
                                .addKeyValue("version", directive.version()).addKeyValue("error", failure.toString())
                                .log("cannot publish directive");
                    }
                });
    }

    void audit(Decision decision) {
        String key = decision.namespace() + "/" + decision.service();
        sender.send(topics.decisions(), key, decision).whenComplete((metadata, failure) -> {
            if (failure != null) {
                LOG.atWarn().addKeyValue("service", key).addKeyValue("error", failure.toString())
                        .log("cannot publish decision audit record");
            }
        });
    }
}
