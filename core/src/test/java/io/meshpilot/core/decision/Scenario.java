package io.meshpilot.core.decision;

import io.meshpilot.core.health.EndpointTally;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Service seen over time, for engine tests: set the regions' health, decide, move the clock, decide again with the
 * previous decision, as the control plane does.
 */
final class Scenario {

    static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");

    private final DecisionEngine engine = new DecisionEngine();
    private Policy policy = Policy.DEFAULT;
    private Instant now = T0;
    private final List<RegionInput> regions = new ArrayList<>();
    private Optional<ServiceDecision> previous = Optional.empty();
    private final Map<String, Map<String, String>> applied = new java.util.HashMap<>();

    Scenario policy(Policy changed) {
        this.policy = changed;
        return this;
    }

    /** A region whose agent was heard just now, with {@code ready} of {@code total} endpoints ready. */
    Scenario region(String name, int ready, int total) {
        return put(applied(new RegionInput(name, tally(ready, total), now, Optional.of(now))));
    }

    /** A region whose agent was last heard {@code ago}. */
    Scenario silent(String name, int ready, int total, Duration ago) {
        return put(applied(new RegionInput(name, tally(ready, total), now.minus(ago), Optional.of(now.minus(ago)))));
    }

    Scenario after(Duration elapsed) {
        now = now.plus(elapsed);
        List<RegionInput> heard = regions.stream().map(region -> applied(new RegionInput(region.region(),
                region.endpoints(), region.observedAt(), region.lastHeard().map(last -> last.plus(elapsed)))))
                .toList();
        regions.clear();
        regions.addAll(heard);
        return this;
    }

    ServiceDecision decide() {
        ServiceDecision decision = engine.decide(new DecisionInput(policy, regions, previous, now));
        previous = Optional.of(decision);
        for (RegionOutcome outcome : decision.regions()) {
            if (!outcome.hold()) {
                applied.put(outcome.region(), outcome.annotations());
            }
        }
        List<RegionInput> confirmed = regions.stream().map(this::applied).toList();
        regions.clear();
        regions.addAll(confirmed);
        return decision;
    }

    /**
     * What the region's agent applied: the walkthrough's global, shared, local Service at first, then every directive
     * as soon as it is decided (agents apply at once in these examples).
     */
    private RegionInput applied(RegionInput region) {
        Map<String, String> annotations = applied.getOrDefault(region.region(), io.meshpilot.core.routing
                .CiliumServiceConfig.global(true, io.meshpilot.core.routing.Affinity.LOCAL).annotations());
        return new RegionInput(region.region(), region.endpoints(), region.observedAt(), region.lastHeard(),
                Optional.of(annotations), false, region.exportable(), region.cacheTtl());
    }

    /** What a region reported for the last decision, as {@code ready/total}. */
    String reported(String region) {
        return regions.stream().filter(input -> input.region().equals(region))
                .map(input -> input.endpoints().ready() + "/" + input.endpoints().total()).findFirst().orElse("?");
    }

    Instant now() {
        return now;
    }

    private Scenario put(RegionInput input) {
        regions.removeIf(region -> region.region().equals(input.region()));
        regions.add(input);
        return this;
    }

    static EndpointTally tally(int ready, int total) {
        return new EndpointTally(ready, ready, 0, ready, total);
    }

    static Policy policy(Mode mode) {
        return with(mode, 1, 0.0, Duration.ZERO, Duration.ofSeconds(30), List.of(), 0, java.util.Set.of());
    }

    static Policy with(Mode mode, int minReady, double minRatio, Duration failoverDelay, Duration failbackDelay,
            List<String> priority, int maxTargets, java.util.Set<String> drain) {
        return new Policy("*", mode, minReady, minRatio, failoverDelay, failbackDelay, Duration.ofSeconds(15),
                priority, maxTargets, drain);
    }
}
