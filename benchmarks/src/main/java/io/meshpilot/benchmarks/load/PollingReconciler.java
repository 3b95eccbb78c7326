package io.meshpilot.benchmarks.load;

import io.meshpilot.core.decision.DecisionEngine;
import io.meshpilot.core.decision.DecisionInput;
import io.meshpilot.core.decision.Policy;
import io.meshpilot.core.decision.RegionInput;
import io.meshpilot.core.decision.RegionOutcome;
import io.meshpilot.core.decision.ServiceDecision;
import io.meshpilot.core.health.EndpointTally;
import io.meshpilot.schemas.ServiceDirective;
import io.meshpilot.schemas.ServiceKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The baseline: a timer-driven reconciler, the way a simple controller is written. Every {@code interval} it reads
 * every region's state directly (as listing each cluster's EndpointSlices would), runs the same decision engine for
 * every Service, and hands changed annotations straight to the regions' agents: no Kafka, no events, no waiting for
 * anything but its timer.
 */
final class PollingReconciler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PollingReconciler.class);

    private final List<SimulatedRegion> regions;
    private final int services;
    private final Policy policy;
    private final Duration interval;
    private final Clock clock;
    private final DecisionEngine engine = new DecisionEngine();
    private final Map<ServiceKey, ServiceDecision> previous = new HashMap<>();
    private final Map<String, Map<String, String>> sent = new HashMap<>();
    private final Map<ServiceKey, Long> versions = new HashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    PollingReconciler(List<SimulatedRegion> regions, int services, Policy policy, Duration interval, Clock clock) {
        this.regions = regions;
        this.services = services;
        this.policy = policy;
        this.interval = interval;
        this.clock = clock;
    }

    PollingReconciler start() {
        timer.scheduleWithFixedDelay(this::reconcile, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** One pass; a failure is logged and the next pass runs anyway, as a controller's would. */
    private void reconcile() {
        try {
            reconcileAll();
        } catch (RuntimeException e) {
            LOG.atError().setCause(e).log("reconcile pass failed");
        }
    }

    private void reconcileAll() {
        Instant now = clock.instant();
        for (int i = 0; i < services; i++) {
            ServiceKey service = SimulatedRegion.key(i);
            List<RegionInput> inputs = new ArrayList<>();
            for (SimulatedRegion region : regions) {
                int ready = region.ready(service);
                inputs.add(new RegionInput(region.name(), new EndpointTally(ready, ready, 0, ready, Math.max(2, ready)),
                        now, Optional.of(now)));
            }
            ServiceDecision decision = engine.decide(new DecisionInput(policy, inputs,
                    Optional.ofNullable(previous.get(service)), now));
            previous.put(service, decision);
            send(service, decision, now);
        }
    }

    private void send(ServiceKey service, ServiceDecision decision, Instant now) {
        for (RegionOutcome outcome : decision.regions()) {
            String target = outcome.region() + "/" + service;
            if (outcome.hold() || outcome.annotations().equals(sent.get(target))) {
                continue;
            }
            long version = versions.merge(service, 1L, Long::sum);
            sent.put(target, outcome.annotations());
            ServiceDirective directive = new ServiceDirective(outcome.region(), service.namespace(), service.name(),
                    version, outcome.annotations(), outcome.reason().wireName(), now);
            regions.stream().filter(region -> region.name().equals(outcome.region())).findFirst()
                    .ifPresent(region -> region.offer(directive, System.nanoTime()));
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
