package io.meshpilot.core.decision;

import io.meshpilot.core.health.EndpointTally;
import io.meshpilot.core.routing.CiliumServiceConfig;
import io.meshpilot.core.routing.ClusterService;
import io.meshpilot.core.routing.RoutingModel;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;

/**
 * A mesh of regions around the engine, for the invariant properties: each region's endpoints, whether its agent is
 * silent, the annotations its agent has applied; the engine decides from what the agents last reported, and the
 * agents apply the directives one region at a time in a random order, the routing model consulted after each.
 * A silent agent reports nothing, applies nothing, and its region's endpoints stay as last reported. The Service
 * starts global and shared with local affinity everywhere, as in Cilium's walkthrough.
 */
final class Mesh {

    static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");

    final Map<String, EndpointTally> endpoints = new TreeMap<>();
    final Map<String, Boolean> silent = new HashMap<>();
    final Map<String, Instant> lastHeard = new HashMap<>();
    final Map<String, Map<String, String>> applied = new HashMap<>();
    final Map<String, Map<String, String>> published = new HashMap<>();
    final Map<String, PublishedDirective> topic = new HashMap<>();
    /** The regions whose agent reported applying the directive in force. */
    final java.util.Set<String> confirmedLatest = new java.util.HashSet<>();
    /** The regions with a directive that withdraws their export published and not yet applied. */
    final java.util.Set<String> withdrawalsInFlight = new java.util.HashSet<>();
    final Optional<Duration> cacheTtl;
    final DecisionEngine engine = new DecisionEngine();
    Policy policy;
    Instant now = T0;
    Optional<ServiceDecision> previous = Optional.empty();
    /** The decision before the latest one. */
    Optional<ServiceDecision> previousBefore = Optional.empty();

    Mesh(Policy policy, Optional<Duration> cacheTtl) {
        this.policy = policy;
        this.cacheTtl = cacheTtl;
    }

    void region(String region, EndpointTally tally) {
        endpoints.put(region, tally);
        silent.putIfAbsent(region, false);
        lastHeard.putIfAbsent(region, now);
        if (!applied.containsKey(region)) {
            applied.put(region, io.meshpilot.core.routing.CiliumServiceConfig.global(true,
                    io.meshpilot.core.routing.Affinity.LOCAL).annotations());
            confirmedLatest.add(region);
        }
    }

    void pass(Duration elapsed) {
        now = now.plus(elapsed);
        silent.forEach((region, quiet) -> {
            if (!quiet) {
                lastHeard.put(region, now);
            }
        });
    }

    DecisionInput input() {
        List<RegionInput> regions = new ArrayList<>();
        endpoints.forEach((region, tally) -> regions.add(new RegionInput(region, tally, lastHeard.get(region),
                Optional.of(lastHeard.get(region)), Optional.ofNullable(applied.get(region)),
                withdrawalsInFlight.contains(region), true, cacheTtl)));
        return new DecisionInput(policy, regions, previous, now);
    }

    ServiceDecision decide() {
        ServiceDecision decision = engine.decide(input());
        previousBefore = previous;
        previous = Optional.of(decision);
        for (RegionOutcome outcome : decision.regions()) {
            if (!outcome.hold()) {
                PublishedDirective inForce = topic.get(outcome.region());
                if (inForce == null || !inForce.annotations().equals(outcome.annotations())
                        || !inForce.reason().equals(outcome.reason().wireName())) {
                    confirmedLatest.remove(outcome.region());
                    if (!exports(outcome.annotations())) {
                        withdrawalsInFlight.add(outcome.region());
                    }
                }
                published.put(outcome.region(), outcome.annotations());
                topic.put(outcome.region(), new PublishedDirective(outcome.region(), outcome.annotations(),
                        outcome.reason().wireName(), Optional.of(outcome.state()), Optional.of(outcome.since()),
                        now));
            }
        }
        return decision;
    }

    /** Another decider takes over: the previous decision is rebuilt from the directives on the topics. */
    void handOver() {
        previous = PreviousDecision.from(policy, List.copyOf(topic.values()));
    }

    /** The agents that are heard apply their directives one at a time in a random order; checks after each. */
    void apply(Random random, Runnable afterEach) {
        List<String> order = new ArrayList<>(published.keySet());
        java.util.Collections.shuffle(order, random);
        for (String region : order) {
            if (!silent.get(region) && !confirmedLatest.contains(region)) {
                applied.put(region, published.get(region));
                confirmedLatest.add(region);
                withdrawalsInFlight.remove(region);
                afterEach.run();
            }
        }
    }

    /** The regions whose clients reach no backend although some region has one (SPEC §5b invariant 1). */
    List<String> blackholed() {
        boolean anyBackend = endpoints.values().stream().anyMatch(tally -> tally.active() + tally.fallback() > 0);
        List<String> stranded = new ArrayList<>();
        if (!anyBackend || onlyWithdrawnStaleBackends()) {
            return stranded;
        }
        for (String from : endpoints.keySet()) {
            Map<String, String> annotations = applied.get(from);
            if (annotations == null || !config(annotations).global()) {
                continue;
            }
            List<ClusterService> view = new ArrayList<>();
            endpoints.forEach((region, tally) -> view.add(new ClusterService(region,
                    config(applied.getOrDefault(region, Map.of())), tally.active(), tally.fallback(),
                    revoked(region) ? 0 : tally.exported(), true, Optional.empty())));
            if (RoutingModel.reachableFrom(from, view).isEmpty()) {
                stranded.add(from);
            }
        }
        return stranded;
    }

    /**
     * SPEC §5b's one exception: every region with backends is stale and withdrew before falling silent, or is stale
     * past Cilium's cacheTTL (Cilium forgot its backends; nothing brings them back until it is heard again).
     */
    private boolean onlyWithdrawnStaleBackends() {
        return endpoints.entrySet().stream().filter(entry -> entry.getValue().active() + entry.getValue().fallback()
                > 0).allMatch(entry ->
                stale(entry.getKey()) && (!exports(applied.getOrDefault(entry.getKey(), Map.of()))
                        || revoked(entry.getKey())));
    }

    boolean stale(String region) {
        return lastHeard.get(region).plus(policy.staleAfter()).isBefore(now);
    }

    private boolean revoked(String region) {
        return stale(region) && cacheTtl.map(ttl -> !now.isBefore(lastHeard.get(region).plus(ttl))).orElse(false);
    }

    static CiliumServiceConfig config(Map<String, String> annotations) {
        return CiliumServiceConfig.fromAnnotations(annotations).orElse(CiliumServiceConfig.LOCAL_ONLY);
    }

    static boolean exports(Map<String, String> annotations) {
        CiliumServiceConfig config = config(annotations);
        return config.global() && config.shared();
    }
}
