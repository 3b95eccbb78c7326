package io.meshpilot.core.whatif;

import io.meshpilot.core.decision.DecisionEngine;
import io.meshpilot.core.decision.DecisionInput;
import io.meshpilot.core.decision.MeshWithdrawals;
import io.meshpilot.core.decision.Policy;
import io.meshpilot.core.decision.RegionInput;
import io.meshpilot.core.decision.RegionOutcome;
import io.meshpilot.core.decision.ServiceDecision;
import io.meshpilot.core.health.EndpointTally;
import io.meshpilot.core.routing.CiliumServiceConfig;
import io.meshpilot.core.routing.ClusterService;
import io.meshpilot.core.routing.RoutingModel;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A read-only simulation: what the engine would do to each Service if regions went down, degraded, drained or stale,
 * or if a policy not yet applied were. Both sides start from the same snapshot and the decision in force and are
 * played forward the same way, so the difference is the hypothesis's alone: the engine decides, every heard agent
 * applies its directive at once (a silent one applies nothing), the engine decides again, and time moves on to each
 * decision's review time (a failover or failback delay ending, heard agents still heartbeating), until nothing
 * changes. Routes are the Cilium routing model's on the annotations then in force. The mesh-wide safety rule
 * ({@code maxWithdrawnRegions}) counts the regions the other Services withdraw on the same side: the Services are
 * played one after the other, in the order given, each from the others' decisions so far ({@link MeshLedger}).
 */
public final class WhatIf {

    /** How many decisions a side may take before the simulation stops and reports it unsettled. */
    public static final int MAX_ROUNDS = 32;

    private final DecisionEngine engine = new DecisionEngine();

    public WhatIfReport simulate(List<ServiceSnapshot> services, Hypothesis hypothesis, Instant now) {
        List<ServiceEffect> changed = new ArrayList<>();
        List<String> outages = new ArrayList<>();
        int unchanged = 0;
        MeshLedger meshBefore = MeshLedger.of(services);
        MeshLedger meshAfter = MeshLedger.of(services);
        for (ServiceSnapshot service : services) {
            ServiceEffect effect = effect(service, hypothesis, now, meshBefore, meshAfter);
            if (effect.changes()) {
                changed.add(effect);
            } else {
                unchanged++;
            }
            if (effect.globalOutageAfter()) {
                outages.add(service.service());
            }
        }
        return new WhatIfReport(now, changed, unchanged, outages);
    }

    /** The hypothesis's effect on one Service, alone in the mesh (no other Service's withdrawals counted). */
    public ServiceEffect effect(ServiceSnapshot service, Hypothesis hypothesis, Instant now) {
        return effect(service, hypothesis, now, MeshLedger.of(List.of(service)), MeshLedger.of(List.of(service)));
    }

    private ServiceEffect effect(ServiceSnapshot service, Hypothesis hypothesis, Instant now, MeshLedger meshBefore,
            MeshLedger meshAfter) {
        Played before = play(service.service(), service.policy(), service.regions(), service.previous(), now,
                meshBefore);
        Policy policy = policyAfter(service, hypothesis);
        Played after = play(service.service(), policy, regionsAfter(service.regions(), hypothesis, policy, now),
                service.previous(), now, meshAfter);
        List<RegionEffect> regions = new ArrayList<>();
        for (String region : after.sides.keySet()) {
            regions.add(new RegionEffect(region, before.sides.get(region), after.sides.get(region)));
        }
        return new ServiceEffect(service.service(), service.policy().scope(), policy.scope(), regions,
                before.decision.globalOutage(), after.decision.globalOutage(), after.at, after.settled);
    }

    private static Policy policyAfter(ServiceSnapshot service, Hypothesis hypothesis) {
        Policy policy = hypothesis.policy(service.service()).orElse(service.policy());
        Set<String> present = new HashSet<>();
        service.regions().forEach(region -> present.add(region.region()));
        Set<String> drain = new TreeSet<>(policy.drain());
        hypothesis.changes().stream().filter(change -> change.kind() == RegionChange.Kind.DRAINED)
                .map(RegionChange::region).filter(present::contains).forEach(drain::add);
        if (drain.equals(policy.drain())) {
            return policy;
        }
        return policy.withDrain(drain);
    }

    private static List<RegionInput> regionsAfter(List<RegionInput> regions, Hypothesis hypothesis, Policy policy,
            Instant now) {
        List<RegionInput> changed = new ArrayList<>(regions.size());
        for (RegionInput region : regions) {
            RegionInput input = region;
            for (RegionChange change : hypothesis.changes()) {
                if (change.region().equals(region.region())) {
                    input = apply(change, input, policy, now);
                }
            }
            changed.add(input);
        }
        return changed;
    }

    private static RegionInput apply(RegionChange change, RegionInput region, Policy policy, Instant now) {
        return switch (change.kind()) {
            case DOWN -> withEndpoints(region, ready(region.endpoints(), 0));
            case DEGRADED -> withEndpoints(region, ready(region.endpoints(), change.ready()));
            case DRAINED -> region;
            case STALE -> new RegionInput(region.region(), region.endpoints(), region.observedAt(),
                    Optional.of(silentSince(region, policy, now)), region.applied(), region.withdrawalInFlight(),
                    region.exportable(), region.cacheTtl());
        };
    }

    /** Heard last just over {@code staleAfter} ago (or when it was last heard, if that is earlier). */
    private static Instant silentSince(RegionInput region, Policy policy, Instant now) {
        Instant silent = now.minus(policy.staleAfter()).minusSeconds(1);
        return region.lastHeard().filter(heard -> heard.isBefore(silent)).orElse(silent);
    }

    /** The same endpoints with exactly {@code ready} of them ready (and active and exported), the rest not. */
    static EndpointTally ready(EndpointTally endpoints, int ready) {
        return new EndpointTally(ready, ready, 0, ready, 0, ready, Math.max(endpoints.total(), ready));
    }

    private static RegionInput withEndpoints(RegionInput region, EndpointTally endpoints) {
        return new RegionInput(region.region(), endpoints, region.observedAt(), region.lastHeard(), region.applied(),
                region.withdrawalInFlight(), region.exportable(), region.cacheTtl());
    }

    /** One side played forward until nothing changes; its withdrawals then count in the side's mesh. */
    private Played play(String service, Policy policy, List<RegionInput> start, Optional<ServiceDecision> previous,
            Instant now, MeshLedger mesh) {
        Map<String, RegionInput> regions = new TreeMap<>();
        Map<String, Map<String, String>> inForce = new TreeMap<>();
        Set<String> silent = new HashSet<>();
        for (RegionInput region : start) {
            regions.put(region.region(), region);
            inForce.put(region.region(), region.applied().or(() -> previous.flatMap(p -> p.region(region.region()))
                    .map(RegionOutcome::annotations)).orElse(Map.of()));
            if (region.stale(now, policy.staleAfter())) {
                silent.add(region.region());
            }
        }
        Instant at = now;
        Optional<ServiceDecision> last = previous;
        ServiceDecision decision = null;
        boolean settled = false;
        for (int round = 0; round < MAX_ROUNDS && !settled; round++) {
            MeshWithdrawals withdrawals = policy.maxWithdrawnRegions() == 0 ? MeshWithdrawals.NONE
                    : mesh.seenBy(service, policy.scope(), last);
            decision = engine.decide(new DecisionInput(policy, List.copyOf(regions.values()), last, at,
                    withdrawals));
            last = Optional.of(decision);
            if (applyAll(decision, regions, inForce, silent)) {
                continue;
            }
            Instant from = at;
            Optional<Instant> review = decision.reviewAt().filter(time -> time.isAfter(from));
            if (review.isEmpty()) {
                settled = true;
            } else {
                at = review.get();
                heartbeat(regions, silent, at);
            }
        }
        mesh.settle(service, decision);
        Map<String, RegionSide> sides = new TreeMap<>();
        Map<String, Map<String, Integer>> routes = routes(regions, inForce, silent, at);
        for (RegionOutcome outcome : decision.regions()) {
            sides.put(outcome.region(), new RegionSide(inForce.get(outcome.region()), outcome.state(),
                    outcome.reason(), routes.get(outcome.region())));
        }
        return new Played(decision, sides, at, settled);
    }

    /** Every heard agent applies its directive; whether any annotations in force changed. */
    private static boolean applyAll(ServiceDecision decision, Map<String, RegionInput> regions,
            Map<String, Map<String, String>> inForce, Set<String> silent) {
        boolean changed = false;
        for (RegionOutcome outcome : decision.regions()) {
            if (outcome.hold() || silent.contains(outcome.region())) {
                continue;
            }
            changed |= !outcome.annotations().equals(inForce.put(outcome.region(), outcome.annotations()));
            RegionInput region = regions.get(outcome.region());
            regions.put(region.region(), new RegionInput(region.region(), region.endpoints(), region.observedAt(),
                    region.lastHeard(), Optional.of(outcome.annotations()), false, region.exportable(),
                    region.cacheTtl()));
        }
        return changed;
    }

    private static void heartbeat(Map<String, RegionInput> regions, Set<String> silent, Instant at) {
        regions.replaceAll((name, region) -> silent.contains(name) ? region
                : new RegionInput(name, region.endpoints(), region.observedAt(), Optional.of(at), region.applied(),
                        region.withdrawalInFlight(), region.exportable(), region.cacheTtl()));
    }

    /** Per region, the backends its clients reach; a silent region is seen as Cilium last learnt it. */
    private static Map<String, Map<String, Integer>> routes(Map<String, RegionInput> regions,
            Map<String, Map<String, String>> inForce, Set<String> silent, Instant at) {
        List<ClusterService> clusters = new ArrayList<>();
        regions.forEach((name, region) -> {
            CiliumServiceConfig config = CiliumServiceConfig.fromAnnotations(inForce.get(name))
                    .orElse(CiliumServiceConfig.LOCAL_ONLY);
            EndpointTally endpoints = region.endpoints();
            clusters.add(new ClusterService(name, config, endpoints.active(), endpoints.fallback(),
                    endpoints.exported(), region.exportable(), silent.contains(name)
                            ? Optional.of(region.lastHeard().orElse(region.observedAt())) : Optional.empty()));
        });
        Map<String, Map<String, Integer>> routes = new TreeMap<>();
        regions.forEach((name, region) -> routes.put(name, RoutingModel.reachableFrom(name, clusters, at,
                region.cacheTtl().orElse(Duration.ZERO))));
        return routes;
    }

    private record Played(ServiceDecision decision, Map<String, RegionSide> sides, Instant at, boolean settled) {
    }
}
