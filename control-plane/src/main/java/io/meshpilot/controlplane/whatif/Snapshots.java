package io.meshpilot.controlplane.whatif;

import io.meshpilot.controlplane.decisions.DecisionLoop;
import io.meshpilot.controlplane.policy.PolicyBook;
import io.meshpilot.controlplane.world.RegionLiveness;
import io.meshpilot.controlplane.world.RegionRecords;
import io.meshpilot.controlplane.world.WorldModel;
import io.meshpilot.core.decision.Policy;
import io.meshpilot.core.decision.PreviousDecision;
import io.meshpilot.core.decision.PublishedDirective;
import io.meshpilot.core.decision.RegionInput;
import io.meshpilot.core.decision.RegionState;
import io.meshpilot.core.decision.ServiceDecision;
import io.meshpilot.core.health.EndpointTally;
import io.meshpilot.core.routing.CacheTtls;
import io.meshpilot.core.routing.CiliumServiceConfig;
import io.meshpilot.core.whatif.Hypothesis;
import io.meshpilot.core.whatif.ServiceSnapshot;
import io.meshpilot.schemas.DirectiveStatus;
import io.meshpilot.schemas.EndpointCounts;
import io.meshpilot.schemas.ServiceDirective;
import io.meshpilot.schemas.ServiceKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The engine's inputs for every Service as this replica knows them, copied on the event loop so the simulation can
 * run elsewhere: health, liveness, what each agent reported applied, the policy in force and the decision in force
 * (this replica's own for the Services it decides, else rebuilt from the directives on the topics).
 */
final class Snapshots {

    private final WorldModel world;
    private final RegionLiveness liveness;
    private final PolicyBook policies;
    private final DecisionLoop decisions;
    private final CacheTtls cacheTtls;

    Snapshots(WorldModel world, RegionLiveness liveness, PolicyBook policies, DecisionLoop decisions,
            CacheTtls cacheTtls) {
        this.world = world;
        this.liveness = liveness;
        this.policies = policies;
        this.decisions = decisions;
        this.cacheTtls = cacheTtls;
    }

    /** The snapshots of the Services in the namespace (empty: all), and the hypothesis with the proposed policies. */
    Taken take(WhatIfRequest request) {
        List<ServiceSnapshot> services = new ArrayList<>();
        Map<String, Policy> proposed = new HashMap<>();
        for (ServiceKey service : world.services()) {
            if (request.namespace().map(namespace -> !namespace.equals(service.namespace())).orElse(false)) {
                continue;
            }
            Policy policy = policies.resolve(service);
            services.add(snapshot(service, policy));
            proposedPolicy(service, request.policies()).filter(after -> !after.equals(policy))
                    .ifPresent(after -> proposed.put(service.toString(), after));
        }
        return new Taken(services, new Hypothesis(request.changes(), proposed));
    }

    record Taken(List<ServiceSnapshot> services, Hypothesis hypothesis) {
    }

    /** The policy that would apply to the Service with the proposed ones written (empty: none covers it). */
    private Optional<Policy> proposedPolicy(ServiceKey service, Map<String, Policy> proposed) {
        if (proposed.isEmpty()) {
            return Optional.empty();
        }
        for (String scope : List.of(service.toString(), service.namespace() + "/*", PolicyBook.EVERYTHING)) {
            Optional<Policy> found = Optional.ofNullable(proposed.get(scope)).or(() -> policies.byScope(scope));
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.of(Policy.DEFAULT);
    }

    private ServiceSnapshot snapshot(ServiceKey service, Policy policy) {
        Map<String, RegionRecords> records = world.service(service);
        List<RegionInput> inputs = new ArrayList<>();
        List<PublishedDirective> published = new ArrayList<>();
        records.forEach((region, known) -> {
            if (known.health() != null) {
                inputs.add(new RegionInput(region, tally(known.health().endpoints()), known.health().observedAt(),
                        liveness.lastHeard(region), applied(known), withdrawalInFlight(known),
                        known.health().exportable(), cacheTtl(region)));
            }
            if (known.directive() != null) {
                published.add(published(known.directive()));
            }
        });
        Optional<ServiceDecision> previous = decisions.decision(service)
                .or(() -> PreviousDecision.from(policy, published));
        return new ServiceSnapshot(service.toString(), policy, inputs, previous);
    }

    /** The annotations in force if the agent reported the directive in force applied. */
    private static Optional<Map<String, String>> applied(RegionRecords known) {
        return known.directive() != null && appliedVersion(known) == known.directive().version()
                ? Optional.of(known.directive().annotations()) : Optional.empty();
    }

    private static boolean withdrawalInFlight(RegionRecords known) {
        ServiceDirective inForce = known.directive();
        return inForce != null && !CiliumServiceConfig.fromAnnotations(inForce.annotations())
                .map(CiliumServiceConfig::exports).orElse(false) && appliedVersion(known) < inForce.version();
    }

    private static long appliedVersion(RegionRecords known) {
        DirectiveStatus status = known.status();
        return status != null && status.result() == DirectiveStatus.Result.APPLIED ? status.version() : -1;
    }

    private Optional<Duration> cacheTtl(String region) {
        Duration ttl = cacheTtls.of(region);
        return ttl.isZero() ? Optional.empty() : Optional.of(ttl);
    }

    private static EndpointTally tally(EndpointCounts counts) {
        return new EndpointTally(counts.ready(), counts.serving(), counts.terminating(), counts.active(),
                counts.fallback(), counts.exported(), counts.total());
    }

    private static PublishedDirective published(ServiceDirective directive) {
        Optional<RegionState> state = Arrays.stream(RegionState.values())
                .filter(value -> value.wireName().equals(directive.state())).findFirst();
        return new PublishedDirective(directive.region(), directive.annotations(), directive.reason(), state,
                Optional.ofNullable(directive.since()), directive.decidedAt());
    }
}
