package io.meshpilot.controlplane.decisions;

import io.meshpilot.controlplane.health.RegionHealthBook;
import io.meshpilot.core.decision.DecisionEngine;
import io.meshpilot.core.decision.Policy;
import io.meshpilot.core.decision.RegionInput;
import io.meshpilot.core.decision.RegionOutcome;
import io.meshpilot.core.decision.ServiceDecision;
import io.meshpilot.core.health.EndpointTally;
import io.meshpilot.kafka.RecordSender;
import io.meshpilot.schemas.Decision;
import io.meshpilot.schemas.EndpointCounts;
import io.meshpilot.schemas.PolicyMode;
import io.meshpilot.schemas.ServiceDirective;
import io.meshpilot.schemas.ServiceHealth;
import io.meshpilot.schemas.ServiceKey;
import io.meshpilot.schemas.Topics;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the decision engine for a Service over every region's health and publishes what changed: a directive per
 * region whose annotations differ from the last one sent, all with the Service's next version, and one Decision
 * audit record. Confined to the control plane's event loop.
 */
public final class ServiceDecider {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceDecider.class);

    private final DecisionEngine engine = new DecisionEngine();
    private final RegionHealthBook health;
    private final DirectiveLedger ledger = new DirectiveLedger();
    private final DirectivePublisher publisher;
    private final Clock clock;

    public ServiceDecider(RegionHealthBook health, RecordSender sender, Topics topics, Clock clock) {
        this.health = health;
        this.publisher = new DirectivePublisher(sender, topics);
        this.clock = clock;
    }

    public void decide(ServiceKey service) {
        List<ServiceHealth> regions = health.regions(service);
        if (regions.isEmpty()) {
            return;
        }
        ServiceDecision decision = engine.decide(Policy.DEFAULT, regions.stream()
                .map(region -> new RegionInput(region.region(), tally(region.endpoints()))).toList());
        List<RegionOutcome> changed = decision.regions().stream()
                .filter(outcome -> !sameAsPublished(service, outcome)).toList();
        if (changed.isEmpty()) {
            return;
        }
        long version = ledger.nextVersion(service);
        Instant now = clock.instant();
        for (RegionOutcome outcome : changed) {
            ServiceDirective directive = new ServiceDirective(outcome.region(), service.namespace(), service.name(),
                    version, outcome.config().annotations(), outcome.reason().wireName(), now);
            ledger.record(directive);
            publisher.publish(directive);
            LOG.atInfo().addKeyValue("service", service).addKeyValue("region", outcome.region())
                    .addKeyValue("version", version).addKeyValue("annotations", directive.annotations())
                    .addKeyValue("reason", directive.reason()).log("directive published");
        }
        publisher.audit(audit(service, decision, regions, now));
    }

    private boolean sameAsPublished(ServiceKey service, RegionOutcome outcome) {
        return ledger.current(service, outcome.region())
                .map(published -> published.annotations().equals(outcome.config().annotations()))
                .orElse(false);
    }

    private Decision audit(ServiceKey service, ServiceDecision decision, List<ServiceHealth> regions, Instant now) {
        Map<String, ServiceHealth> healthByRegion = regions.stream()
                .collect(Collectors.toMap(ServiceHealth::region, Function.identity()));
        List<Decision.RegionDecision> outcomes = new ArrayList<>();
        for (RegionOutcome outcome : decision.regions()) {
            ServiceHealth observed = healthByRegion.get(outcome.region());
            ServiceDirective directive = ledger.current(service, outcome.region()).orElseThrow();
            outcomes.add(new Decision.RegionDecision(outcome.region(), observed.endpoints(), observed.observedAt(),
                    outcome.state().wireName(), false,
                    directive.annotations(), outcome.reason().wireName(), directive.version()));
        }
        return new Decision(service.namespace(), service.name(), now, "default", PolicyMode.AUTO,
                decision.globalOutage(), outcomes);
    }

    static EndpointTally tally(EndpointCounts counts) {
        return new EndpointTally(counts.ready(), counts.serving(), counts.terminating(), counts.active(),
                counts.total());
    }
}
