package io.meshpilot.agent.health;

import io.meshpilot.core.health.EndpointTally;
import io.meshpilot.kafka.RecordSender;
import io.meshpilot.schemas.EndpointCounts;
import io.meshpilot.schemas.ServiceHealth;
import io.meshpilot.schemas.ServiceKey;
import io.meshpilot.schemas.Topics;
import io.vertx.core.Context;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a Service's health to {@code P.<region>.health} when it changed, and a tombstone when the Service is
 * gone. Confined to the agent's event loop; a failed send is forgotten, so the next change or resync sends again.
 */
public final class HealthPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(HealthPublisher.class);

    private final RecordSender sender;
    private final Context loop;
    private final String topic;
    private final String region;
    private final String agentId;
    private final Clock clock;
    private final Map<ServiceKey, EndpointTally> published = new HashMap<>();

    public HealthPublisher(RecordSender sender, Context loop, Topics topics, String region, String agentId,
            Clock clock) {
        this.sender = sender;
        this.loop = loop;
        this.topic = topics.health(region);
        this.region = region;
        this.agentId = agentId;
        this.clock = clock;
    }

    /** Publishes the Service's endpoints unless they are what was last published. */
    void publish(ServiceKey service, EndpointTally endpoints) {
        if (Objects.equals(published.get(service), endpoints)) {
            return;
        }
        published.put(service, endpoints);
        ServiceHealth health = new ServiceHealth(region, service.namespace(), service.name(), counts(endpoints),
                clock.instant(), agentId);
        sender.send(topic, service.toString(), health).whenComplete((metadata, failure) -> {
            if (failure != null) {
                loop.runOnContext(ignored -> forget(service, endpoints, failure));
            }
        });
    }

    /** Publishes a tombstone: the Service was deleted or is no longer managed. */
    void withdraw(ServiceKey service) {
        published.remove(service);
        sender.tombstone(topic, service.toString()).whenComplete((metadata, failure) -> {
            if (failure != null) {
                LOG.atWarn().addKeyValue("service", service).addKeyValue("error", failure.toString())
                        .log("cannot publish health tombstone");
            }
        });
    }

    private void forget(ServiceKey service, EndpointTally endpoints, Throwable failure) {
        LOG.atWarn().addKeyValue("service", service).addKeyValue("error", failure.toString())
                .log("cannot publish health");
        published.remove(service, endpoints);
    }

    static EndpointCounts counts(EndpointTally tally) {
        return new EndpointCounts(tally.ready(), tally.serving(), tally.terminating(), tally.active(), tally.total());
    }
}
